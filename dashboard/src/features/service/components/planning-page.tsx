import { Anchor, Badge, Group, NativeSelect, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { CalendarEntry } from '@airfleet/contracts';
import { usePageTitle, useSearchParamSetter } from '../../../components/page-hooks.ts';
import { QueryState } from '../../../components/query-state.tsx';
import { useSites } from '../../../lib/catalogue.ts';
import { subjectTitle } from '../../../lib/service-subject.ts';
import { useCalendar, useCalendarLiveSync, useTechnicians, type CalendarFilter } from '../api/service.ts';
import { WORK_ORDER_STATUS_COLOR } from './service-colors.ts';

const GROUPS = ['day', 'technician', 'site'] as const;
type GroupBy = (typeof GROUPS)[number];

/** A plan day `YYYY-MM-DD` as people read it, with the weekday (a technician plans by the week). */
function formatDay(day: string, lng: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(lng, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

interface Group {
  key: string;
  label: string;
  entries: CalendarEntry[];
}

/** The due services of the next 30 or 90 days: predicted plan dates and scheduled work orders, by day, technician or site. */
export function PlanningPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [params] = useSearchParams();
  const technicians = useTechnicians();
  const sites = useSites();
  useCalendarLiveSync();

  const days: CalendarFilter['days'] = params.get('days') === '90' ? 90 : 30;
  const groupParam = params.get('group');
  const groupBy: GroupBy = (GROUPS as readonly string[]).includes(groupParam ?? '') ? (groupParam as GroupBy) : 'day';
  const technicianId = params.get('technician') ?? undefined;
  const siteId = params.get('site') ?? undefined;
  const calendar = useCalendar({ days, technicianId, siteId });

  const set = useSearchParamSetter();
  usePageTitle(t('service.planning.title'));

  const entries = useMemo(() => calendar.data?.entries ?? [], [calendar.data]);
  const today = calendar.data?.from;
  const groups = useMemo((): Group[] => {
    const byKey = new Map<string, Group>();
    for (const e of entries) {
      const [key, label] =
        groupBy === 'day'
          ? [e.date, e.date === today ? `${t('service.planning.today')} · ${formatDay(e.date, lng)}` : formatDay(e.date, lng)]
          : groupBy === 'technician'
            ? [e.technician?.id ?? '', e.technician?.name ?? t('service.planning.noTechnician')]
            : [e.siteId, e.siteName];
      let group = byKey.get(key);
      if (!group) byKey.set(key, (group = { key, label, entries: [] }));
      group.entries.push(e);
    }
    const list = [...byKey.values()];
    // Days in date order; people and sites by name, the unscheduled work last.
    if (groupBy !== 'day') list.sort((a, b) => (a.key === '' ? 1 : b.key === '' ? -1 : a.label.localeCompare(b.label, lng)));
    return list;
  }, [entries, groupBy, today, lng, t]);

  const perTechnician = useMemo(() => countBy(entries, (e) => e.technician?.name ?? t('service.planning.noTechnician')), [entries, t]);
  const perSite = useMemo(() => countBy(entries, (e) => e.siteName), [entries]);
  const all = { value: '', label: t('service.common.all') };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h2">
          {t('service.planning.title')}
        </Title>
        {calendar.data && (
          <Text c="dimmed" size="sm" aria-live="polite" data-testid="planning-summary">
            {t('service.planning.summary', { count: entries.length, from: formatDay(calendar.data.from, lng), to: formatDay(calendar.data.to, lng) })}
          </Text>
        )}
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('service.common.filters')}>
        <div>
          <Text size="sm" fw={500} id="planning-range-label" mb={4}>
            {t('service.planning.range.label')}
          </Text>
          <SegmentedControl
            aria-labelledby="planning-range-label"
            value={String(days)}
            onChange={(v) => set('days', v === '30' ? '' : v)}
            data={[
              { value: '30', label: t('service.planning.range.d30') },
              { value: '90', label: t('service.planning.range.d90') },
            ]}
          />
        </div>
        <div>
          <Text size="sm" fw={500} id="planning-group-label" mb={4}>
            {t('service.planning.groupBy.label')}
          </Text>
          <SegmentedControl
            aria-labelledby="planning-group-label"
            value={groupBy}
            onChange={(v) => set('group', v === 'day' ? '' : v)}
            data={GROUPS.map((g) => ({ value: g, label: t(`service.planning.groupBy.${g}`) }))}
          />
        </div>
        <NativeSelect
          label={t('service.common.technician')}
          value={technicianId ?? ''}
          onChange={(e) => set('technician', e.currentTarget.value)}
          data={[all, ...(technicians.data ?? []).map((tech) => ({ value: tech.id, label: tech.name }))]}
          w={200}
        />
        <NativeSelect
          label={t('service.common.site')}
          value={siteId ?? ''}
          onChange={(e) => set('site', e.currentTarget.value)}
          data={[all, ...[...(sites.data?.values() ?? [])].map((s) => ({ value: s.id, label: `${s.name} (${s.customerName})` }))]}
          w={{ base: '100%', sm: 280 }}
        />
      </Group>

      <QueryState
        query={calendar}
        isEmpty={(d) => d.entries.length === 0}
        empty={t('service.planning.empty')}
        emptyColor="green"
        errorMessage={t('service.common.loadFailed')}
        unavailableMessage={t('service.common.unavailable')}
      >
        {() => (
          <>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
              <CountCard title={t('service.planning.perTechnician')} counts={perTechnician} />
              <CountCard title={t('service.planning.perSite')} counts={perSite} />
            </SimpleGrid>
            <Stack gap="sm" data-testid="planning-agenda">
              {groups.map((g) => (
                <Paper key={g.key || 'none'} withBorder radius="md" p="sm" component="section" aria-label={g.label}>
                  <Group justify="space-between" mb={6}>
                    <Title order={2} size="h5">
                      {g.label}
                    </Title>
                    <Text size="xs" c="dimmed">
                      {t('service.planning.entries', { count: g.entries.length })}
                    </Text>
                  </Group>
                  <Stack gap={4} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                    {g.entries.map((e, i) => (
                      <EntryRow key={`${e.deviceId}:${e.level ?? ''}:${e.workOrderId ?? i}`} entry={e} showDate={groupBy !== 'day'} />
                    ))}
                  </Stack>
                </Paper>
              ))}
            </Stack>
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function countBy(entries: readonly CalendarEntry[], keyOf: (e: CalendarEntry) => string): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(keyOf(e), (counts.get(keyOf(e)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]);
}

function CountCard({ title, counts }: { title: string; counts: Array<[string, number]> }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="sm" fw={600} mb={6}>
        {title}
      </Text>
      <Group gap={6}>
        {counts.map(([name, n]) => (
          <Badge key={name} variant="light" color="gray" tt="none" size="lg">
            {name}: {n}
          </Badge>
        ))}
      </Group>
    </Paper>
  );
}

function EntryRow({ entry: e, showDate }: { entry: CalendarEntry; showDate: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Group component="li" gap="xs" wrap="wrap" py={4} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }} data-device-id={e.deviceId} data-kind={e.kind}>
      {showDate && (
        <Text size="sm" w={150} c={e.overdue ? 'red.8' : undefined} fw={e.overdue ? 700 : 400}>
          {formatDay(e.date, i18n.language)}
        </Text>
      )}
      <Badge variant={e.kind === 'scheduled' ? 'filled' : 'outline'} color={e.kind === 'scheduled' ? 'blue' : 'gray'} w={96}>
        {t(`service.planning.kind.${e.kind}`)}
      </Badge>
      {e.overdue && (
        <Badge color="red" variant="filled">
          {t('service.planning.overdue')}
        </Badge>
      )}
      <Anchor component={Link} to={`/machines/${encodeURIComponent(e.deviceId)}`} size="sm" fw={500}>
        {e.deviceId}
      </Anchor>
      <Text size="sm" style={{ flex: '1 1 220px' }}>
        {/* A predicted plan date says no more than its level; a work order has its own title. */}
        {e.level ? t(`service.level.${e.level}`) : ''}
        {e.level && e.kind === 'scheduled' ? ' · ' : ''}
        {e.kind === 'scheduled' || !e.level ? (e.subject ? subjectTitle(e.subject, t) : e.title) : ''}
      </Text>
      <Text size="sm" c="dimmed" w={180} truncate>
        {e.siteName}
      </Text>
      <Text size="sm" w={150} truncate c={e.technician ? undefined : 'dimmed'}>
        {e.technician?.name ?? t('service.planning.noTechnician')}
      </Text>
      {e.workOrderId && (
        <Group gap={4} wrap="nowrap">
          <Anchor component={Link} to={`/work-orders/${encodeURIComponent(e.workOrderId)}`} size="sm">
            {t('service.inbox.workOrderLink', { id: e.workOrderId })}
          </Anchor>
          {e.workOrderStatus && (
            <Badge size="sm" variant="light" color={WORK_ORDER_STATUS_COLOR[e.workOrderStatus]}>
              {t(`service.workOrders.status.${e.workOrderStatus}`)}
            </Badge>
          )}
        </Group>
      )}
    </Group>
  );
}
