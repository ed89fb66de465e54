import { Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../../components/page-hooks.ts';
import { QueryState } from '../../../components/query-state.tsx';
import { portalEn } from '../../../i18n/portal.en.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useEngagement } from '../api/engagement.ts';

type FeatureDetail = keyof typeof portalEn.insights.featureDetail;
/** A feature code the catalogue words; an unknown one (a newer platform) is shown as the code. */
const isFeatureDetail = (feature: string): feature is FeatureDetail => Object.hasOwn(portalEn.insights.featureDetail, feature);

/** Weekly active users as horizontal bars: a table that is its own chart (readable without colour, and by screen readers). */
function WeeklyBars({ weeks }: { weeks: Array<{ weekStart: string; users: number; customerUsers: number; customers: number; anonymousEvents: number }> }) {
  const { t, i18n } = useTranslation();
  const max = Math.max(1, ...weeks.map((w) => w.users));
  return (
    <Table withTableBorder data-testid="wau-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{t('portal.insights.week')}</Table.Th>
          <Table.Th scope="col" w="45%">
            {t('portal.insights.users')}
          </Table.Th>
          <Table.Th scope="col" ta="right">
            {t('portal.insights.customerUsers')}
          </Table.Th>
          <Table.Th scope="col" ta="right">
            {t('portal.insights.customers')}
          </Table.Th>
          <Table.Th scope="col" ta="right">
            {t('portal.insights.anonymous')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {weeks.map((w) => (
          <Table.Tr key={w.weekStart}>
            <Table.Td style={{ whiteSpace: 'nowrap' }}>{new Date(`${w.weekStart.slice(0, 10)}T00:00:00Z`).toLocaleDateString(i18n.language, { timeZone: 'UTC', dateStyle: 'medium' })}</Table.Td>
            <Table.Td>
              <Group gap="xs" wrap="nowrap">
                <div
                  aria-hidden="true"
                  style={{ height: 14, width: `${(w.users / max) * 100}%`, minWidth: w.users > 0 ? 4 : 0, background: 'var(--mantine-color-blue-8)', borderRadius: 2 }}
                />
                <Text size="sm" fw={600}>
                  {w.users}
                </Text>
              </Group>
            </Table.Td>
            <Table.Td ta="right">{w.customerUsers}</Table.Td>
            <Table.Td ta="right">{w.customers}</Table.Td>
            <Table.Td ta="right">{w.anonymousEvents}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

interface Column {
  label: string;
  /** Figures align right. */
  numeric?: boolean;
}

/** A plain two- or three-column list of the insights page (header row, then one row per entry). */
function PlainTable({ testId, columns, rows }: { testId: string; columns: Column[]; rows: Array<{ key: string; cells: ReactNode[] }> }) {
  return (
    <Table data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => (
            <Table.Th key={c.label} scope="col" ta={c.numeric ? 'right' : undefined}>
              {c.label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => (
          <Table.Tr key={r.key}>
            {r.cells.map((cell, i) => (
              <Table.Td key={columns[i]?.label ?? i} ta={columns[i]?.numeric ? 'right' : undefined}>
                {cell}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A titled panel holding one list, or "none yet" while the list is empty. */
function ListSection({ id, title, hint, isEmpty, children }: { id: string; title: string; hint?: string; isEmpty: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb={hint ? undefined : 'xs'}>
        {title}
      </Title>
      {hint && (
        <Text size="xs" c="dimmed" mb="xs">
          {hint}
        </Text>
      )}
      {isEmpty ? <Text c="dimmed">{t('portal.insights.noneYet')}</Text> : children}
    </Paper>
  );
}

/** Admin: are customers becoming users? (docs/customer-reports.md §5) */
export function InsightsPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const engagement = useEngagement();

  usePageTitle(t('portal.insights.title'));

  return (
    <QueryState query={engagement} errorMessage={t('portal.common.loadFailed')}>
      {(e) => (
        <Stack gap="lg">
          <div>
            <Title order={1} size="h2">
              {t('portal.insights.title')}
            </Title>
            <Text c="dimmed">{t('portal.insights.intro')}</Text>
            <Text size="xs" c="dimmed">
              {formatDateTime(e.generatedAt, lng)}
            </Text>
          </div>

          <section aria-labelledby="wau-title">
            <Title order={2} size="h4" id="wau-title" mb="xs">
              {t('portal.insights.weeklyActive')}
            </Title>
            <WeeklyBars weeks={e.weeklyActiveUsers} />
          </section>

          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
            <ListSection
              id="became-title"
              title={`${t('portal.insights.becameUsers')} (${e.customersBecameUsers.length})`}
              hint={t('portal.insights.becameUsersHint')}
              isEmpty={e.customersBecameUsers.length === 0}
            >
              <PlainTable
                testId="became-users"
                columns={[{ label: t('portal.insights.customer') }, { label: t('portal.insights.weeksActive'), numeric: true }]}
                rows={e.customersBecameUsers.map((c) => ({ key: c.customerId, cells: [c.name, c.activeWeeks] }))}
              />
            </ListSection>

            <ListSection
              id="dormant-title"
              title={`${t('portal.insights.dormant')} (${e.dormantCustomers.length})`}
              hint={t('portal.insights.dormantHint')}
              isEmpty={e.dormantCustomers.length === 0}
            >
              <PlainTable
                testId="dormant-customers"
                columns={[{ label: t('portal.insights.customer') }, { label: t('portal.insights.machines'), numeric: true }, { label: t('portal.insights.lastSeen') }]}
                rows={e.dormantCustomers.map((c) => ({
                  key: c.customerId,
                  cells: [c.name, c.machines, c.lastInteractionAt ? formatDateTime(c.lastInteractionAt, lng) : t('portal.insights.never')],
                }))}
              />
            </ListSection>
          </SimpleGrid>

          <ListSection id="features-title" title={t('portal.insights.features')} isEmpty={e.topFeatures.length === 0}>
            <PlainTable
              testId="top-features"
              columns={[{ label: t('portal.insights.feature') }, { label: t('portal.insights.count'), numeric: true }]}
              rows={e.topFeatures.map((f) => ({
                key: `${f.kind}:${f.feature}`,
                cells: [
                  <>
                    {t(`portal.insights.featureName.${f.kind}`)}
                    {f.feature && f.feature !== f.kind && (
                      <Text span size="xs" c="dimmed" ml={6} data-feature={f.feature} {...(isFeatureDetail(f.feature) ? {} : { translate: 'no' as const })}>
                        {isFeatureDetail(f.feature) ? t(`portal.insights.featureDetail.${f.feature}`) : f.feature}
                      </Text>
                    )}
                  </>,
                  f.count,
                ],
              }))}
            />
          </ListSection>
        </Stack>
      )}
    </QueryState>
  );
}
