import { Alert, Group, Loader, NativeSelect, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ALARM_SEVERITIES, type AlarmSeverity } from '@airfleet/contracts';
import { useSites } from '../../../lib/catalogue.ts';
import { useAlarms, type AlarmsFilter } from '../api/alarms.ts';
import { AlarmsTable } from './alarms-table.tsx';

const STATE_FILTERS = ['active', 'unacknowledged', 'cleared', 'all'] as const;
type StateFilter = (typeof STATE_FILTERS)[number];

export function AlarmsPage({ canAct }: { canAct: boolean }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const sites = useSites();

  const stateParam = params.get('state');
  const state: StateFilter = (STATE_FILTERS as readonly string[]).includes(stateParam ?? '') ? (stateParam as StateFilter) : 'active';
  const severityParam = params.get('severity');
  const severity = (ALARM_SEVERITIES as readonly string[]).includes(severityParam ?? '') ? (severityParam as AlarmSeverity) : undefined;
  const siteId = params.get('site') ?? undefined;
  const filter: AlarmsFilter = { state, severity, siteId };
  const alarms = useAlarms(filter);

  // Patch the URL as it is now (see the fleet page): quick successive changes all stick.
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  useEffect(() => {
    document.title = `${t('alarms.title')} · ${t('app.name')}`;
  }, [t]);

  const siteNames = useMemo(() => new Map([...(sites.data?.values() ?? [])].map((s) => [s.id, s.name])), [sites.data]);
  const all = { value: '', label: t('alarms.filters.all') };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h2">
          {t('alarms.title')}
        </Title>
        {alarms.data && (
          <Text c="dimmed" size="sm" aria-live="polite">
            {t('alarms.total', { count: alarms.data.total })}
          </Text>
        )}
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap" role="search">
        <div>
          <Text size="sm" fw={500} id="alarm-state-label" mb={4}>
            {t('alarms.filters.state')}
          </Text>
          <SegmentedControl
            aria-labelledby="alarm-state-label"
            value={state}
            onChange={(v) => set('state', v === 'active' ? '' : v)}
            data={STATE_FILTERS.map((s) => ({ value: s, label: t(`alarms.stateFilter.${s}`) }))}
          />
        </div>
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
      {alarms.isPending ? (
        <Group justify="center" p="xl">
          <Loader aria-label={t('app.loading')} />
        </Group>
      ) : alarms.isError ? (
        <Alert color="red">{t('alarms.loadFailed')}</Alert>
      ) : alarms.data === null ? (
        <Alert color="gray">{t('alarms.unavailable')}</Alert>
      ) : alarms.data.items.length === 0 ? (
        <Alert color={state === 'active' ? 'green' : 'gray'} role="status">
          {state === 'active' ? t('alarms.emptyActive') : t('alarms.empty')}
        </Alert>
      ) : (
        <>
          <AlarmsTable alarms={alarms.data.items} canAct={canAct} siteNames={siteNames} />
          {alarms.data.total > alarms.data.items.length && (
            <Text size="sm" c="dimmed">
              {t('alarms.more', { shown: alarms.data.items.length, total: alarms.data.total })}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
