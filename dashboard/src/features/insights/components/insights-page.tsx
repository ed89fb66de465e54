import { Alert, Group, Loader, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format.ts';
import { useEngagement } from '../api/engagement.ts';

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

/** Admin: are customers becoming users? (issue 6 §6) */
export function InsightsPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const engagement = useEngagement();

  useEffect(() => {
    document.title = `${t('portal.insights.title')} · ${t('app.name')}`;
  }, [t]);

  if (engagement.isPending) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  if (engagement.isError) return <Alert color="red">{t('portal.common.loadFailed')}</Alert>;
  const e = engagement.data;

  return (
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
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="became-title">
          <Title order={2} size="h4" id="became-title">
            {t('portal.insights.becameUsers')} ({e.customersBecameUsers.length})
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('portal.insights.becameUsersHint')}
          </Text>
          {e.customersBecameUsers.length === 0 ? (
            <Text c="dimmed">{t('portal.insights.noneYet')}</Text>
          ) : (
            <Table data-testid="became-users">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('portal.insights.customer')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('portal.insights.weeksActive')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {e.customersBecameUsers.map((c) => (
                  <Table.Tr key={c.customerId}>
                    <Table.Td>{c.name}</Table.Td>
                    <Table.Td ta="right">{c.activeWeeks}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>

        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="dormant-title">
          <Title order={2} size="h4" id="dormant-title">
            {t('portal.insights.dormant')} ({e.dormantCustomers.length})
          </Title>
          <Text size="xs" c="dimmed" mb="xs">
            {t('portal.insights.dormantHint')}
          </Text>
          {e.dormantCustomers.length === 0 ? (
            <Text c="dimmed">{t('portal.insights.noneYet')}</Text>
          ) : (
            <Table data-testid="dormant-customers">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('portal.insights.customer')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('portal.insights.machines')}
                  </Table.Th>
                  <Table.Th scope="col">{t('portal.insights.lastSeen')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {e.dormantCustomers.map((c) => (
                  <Table.Tr key={c.customerId}>
                    <Table.Td>{c.name}</Table.Td>
                    <Table.Td ta="right">{c.machines}</Table.Td>
                    <Table.Td>{c.lastInteractionAt ? formatDateTime(c.lastInteractionAt, lng) : t('portal.insights.never')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      </SimpleGrid>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="features-title">
        <Title order={2} size="h4" id="features-title" mb="xs">
          {t('portal.insights.features')}
        </Title>
        {e.topFeatures.length === 0 ? (
          <Text c="dimmed">{t('portal.insights.noneYet')}</Text>
        ) : (
          <Table data-testid="top-features">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('portal.insights.feature')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('portal.insights.count')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {e.topFeatures.map((f) => (
                <Table.Tr key={`${f.kind}:${f.feature}`}>
                  <Table.Td>
                    {t(`portal.insights.featureName.${f.kind}`)}
                    {f.feature && f.feature !== f.kind && (
                      <Text span size="xs" c="dimmed" ml={6}>
                        {f.feature}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{f.count}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </Stack>
  );
}
