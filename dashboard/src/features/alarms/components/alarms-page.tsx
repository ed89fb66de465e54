import { Badge, Button, Group, NativeSelect, Stack } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ALARM_SEVERITIES, type AlarmSeverity } from '@airfleet/contracts';
import { PageHeader } from '../../../components/page-header.tsx';
import { LabelledSegments } from '../../../components/labelled-segments.tsx';
import { usePageTitle, useSearchParamSetter } from '../../../components/page-hooks.ts';
import { QueryState } from '../../../components/query-state.tsx';
import { useSites } from '../../../lib/catalogue.ts';
import { useAlarms, type AlarmsFilter } from '../api/alarms.ts';
import { AlarmsTable } from './alarms-table.tsx';

const STATE_FILTERS = ['active', 'unacknowledged', 'cleared', 'all'] as const;
type StateFilter = (typeof STATE_FILTERS)[number];

export function AlarmsPage({ canAct }: { canAct: boolean }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const sites = useSites();

  const stateParam = params.get('state');
  const state: StateFilter = (STATE_FILTERS as readonly string[]).includes(stateParam ?? '') ? (stateParam as StateFilter) : 'active';
  const severityParam = params.get('severity');
  const severity = (ALARM_SEVERITIES as readonly string[]).includes(severityParam ?? '') ? (severityParam as AlarmSeverity) : undefined;
  const siteId = params.get('site') ?? undefined;
  // One machine's alarms (the machine page's "all alarms" link and alarm mails open this).
  const deviceId = params.get('device')?.trim() || undefined;
  const filter: AlarmsFilter = { state, severity, siteId, deviceId };
  const alarms = useAlarms(filter);

  const set = useSearchParamSetter();
  usePageTitle(t('alarms.title'));

  const siteNames = useMemo(() => new Map([...(sites.data?.values() ?? [])].map((s) => [s.id, s.name])), [sites.data]);
  const all = { value: '', label: t('alarms.filters.all') };

  return (
    <Stack gap="md">
      <PageHeader title={t('alarms.title')} count={alarms.data && t('alarms.total', { count: alarms.data.total })} />
      <Group gap="sm" align="flex-end" wrap="wrap" role="search">
        <LabelledSegments
          id="alarm-state-label"
          label={t('alarms.filters.state')}
          value={state}
          onChange={(v) => set('state', v === 'active' ? '' : v)}
          data={STATE_FILTERS.map((s) => ({ value: s, label: t(`alarms.stateFilter.${s}`) }))}
        />
        <NativeSelect
          label={t('alarms.filters.severity')}
          value={severity ?? ''}
          onChange={(e) => set('severity', e.currentTarget.value)}
          data={[all, ...ALARM_SEVERITIES.map((s) => ({ value: s, label: t(`alarms.severity.${s}`) }))]}
          w={160}
        />
        <NativeSelect
          label={t('alarms.filters.site')}
          value={siteId ?? ''}
          onChange={(e) => set('site', e.currentTarget.value)}
          data={[all, ...[...(sites.data?.values() ?? [])].map((s) => ({ value: s.id, label: `${s.name} (${s.customerName})` }))]}
          w={{ base: '100%', sm: 300 }}
        />
      </Group>
      {deviceId && (
        <Group gap="xs" data-testid="alarm-machine-filter">
          <Badge variant="light" size="lg" tt="none">
            {t('alarmFilter.machine', { machine: deviceId })}
          </Badge>
          <Button variant="subtle" size="compact-sm" onClick={() => set('device', '')}>
            {t('alarmFilter.clearMachine')}
          </Button>
        </Group>
      )}
      <QueryState
        query={alarms}
        isEmpty={(d) => d.items.length === 0}
        empty={state === 'active' ? t('alarms.emptyActive') : t('alarms.empty')}
        emptyColor={state === 'active' ? 'green' : 'gray'}
        errorMessage={t('alarms.loadFailed')}
        unavailableMessage={t('alarms.unavailable')}
        more={(c) => t('alarms.more', c)}
      >
        {(d) => <AlarmsTable alarms={d.items} canAct={canAct} siteNames={siteNames} />}
      </QueryState>
    </Stack>
  );
}
