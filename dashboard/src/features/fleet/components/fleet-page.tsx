import { Alert, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDeferredValue, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { Role } from '@airfleet/contracts';
import { usePageTitle } from '../../../components/page-hooks.ts';
import { useModels, useSites } from '../../../lib/catalogue.ts';
import { useFleetDevices } from '../api/fleet-devices.ts';
import { FleetFilters } from './fleet-filters.tsx';
import { FleetTable } from './fleet-table.tsx';
import {
  countByState,
  DISPLAY_STATES,
  filterRows,
  SORT_KEYS,
  sortRows,
  toRow,
  type DisplayState,
  type FleetAlarmCount,
  type FleetFilter,
  type SortDir,
  type SortKey,
} from './fleet-view.ts';

interface FleetPageProps {
  role: Role;
  /** Active alarms per machine; null when the alarms service is unavailable. */
  alarmCounts: ReadonlyMap<string, FleetAlarmCount> | null;
}

const SUMMARY_COLORS: Partial<Record<DisplayState, string>> = { loaded: 'green', unloaded: 'blue', tripped: 'red', offline: 'dark' };

/** Filters and sort live in the URL: a filtered view can be bookmarked, shared and navigated back to. */
function useFleetParams() {
  const [params, setParams] = useSearchParams();
  const filter: FleetFilter = {
    q: params.get('q') ?? '',
    customerId: params.get('customer') ?? '',
    siteId: params.get('site') ?? '',
    state: (DISPLAY_STATES as readonly string[]).includes(params.get('state') ?? '') ? (params.get('state') as DisplayState) : '',
  };
  const sortParam = params.get('sort');
  const sort: SortKey = (SORT_KEYS as readonly string[]).includes(sortParam ?? '') ? (sortParam as SortKey) : 'state';
  const dir: SortDir = params.get('dir') === 'desc' ? 'desc' : 'asc';
  // Changes patch the URL as it is now, not as of the last render (react-router's functional
  // form sees the render's params): two quick changes never undo each other.
  const current = () => new URLSearchParams(window.location.search);
  const update = (patch: Partial<FleetFilter>) => {
    const keys: Record<keyof FleetFilter, string> = { q: 'q', customerId: 'customer', siteId: 'site', state: 'state' };
    const out = current();
    for (const [k, v] of Object.entries(patch) as [keyof typeof keys, string][]) {
      if (v) out.set(keys[k], v);
      else out.delete(keys[k]);
    }
    setParams(out, { replace: true });
  };
  /** The same column again flips the direction. */
  const sortBy = (key: SortKey) => {
    const out = current();
    const nextDir = key === (out.get('sort') ?? 'state') && out.get('dir') !== 'desc' ? 'desc' : 'asc';
    if (key === 'state') out.delete('sort');
    else out.set('sort', key);
    if (nextDir === 'asc') out.delete('dir');
    else out.set('dir', nextDir);
    setParams(out, { replace: true });
  };
  return { filter, sort, dir, update, sortBy };
}

export function FleetPage({ role, alarmCounts }: FleetPageProps) {
  const { t } = useTranslation();
  const fleet = useFleetDevices();
  const models = useModels();
  const sites = useSites();
  const { filter, sort, dir, update, sortBy } = useFleetParams();

  usePageTitle(t('fleet.title'));

  const rows = useMemo(
    () => (fleet.data ?? []).map((d) => toRow(d, { sites: sites.data, models: models.data, alarmCounts })),
    [fleet.data, sites.data, models.data, alarmCounts],
  );
  // Typing in the search box stays responsive while 10k rows re-filter in the background.
  const deferredQ = useDeferredValue(filter.q);
  const { customerId, siteId, state } = filter;
  const visible = useMemo(
    () => sortRows(filterRows(rows, { q: deferredQ, customerId, siteId, state }), sort, dir),
    [rows, deferredQ, customerId, siteId, state, sort, dir],
  );
  const counts = useMemo(() => countByState(rows), [rows]);


  return (
    // Fills the viewport under the header: the list scrolls inside, filters stay in view.
    <Stack gap="sm" h="calc(100dvh - var(--app-shell-header-height, 56px) - 2 * var(--mantine-spacing-md))" mih={420}>
      <Group justify="space-between" align="baseline" wrap="wrap">
        <Title order={1} size="h2">
          {t('fleet.title')}
        </Title>
        {fleet.data && (
          <Text c="dimmed" size="sm" aria-live="polite" data-testid="fleet-count">
            {t('fleet.summary', { shown: visible.length, total: rows.length })}
          </Text>
        )}
      </Group>
      <FleetFilters filter={filter} onChange={update} sites={[...(sites.data?.values() ?? [])]} showCustomer={role !== 'customer'} />
      {fleet.data && (
        <Group gap={6} wrap="wrap" aria-label={t('fleet.byState')} role="group">
          {DISPLAY_STATES.filter((s) => counts[s] > 0).map((s) => (
            <Button
              key={s}
              size="compact-sm"
              variant={filter.state === s ? 'filled' : 'light'}
              color={SUMMARY_COLORS[s] ?? 'gray'}
              aria-pressed={filter.state === s}
              onClick={() => update({ state: filter.state === s ? '' : s })}
            >
              {t(`state.${s}`)}: {counts[s]}
            </Button>
          ))}
        </Group>
      )}
      {fleet.isPending ? (
        <Group justify="center" p="xl">
          <Loader aria-label={t('app.loading')} />
        </Group>
      ) : fleet.isError ? (
        <Alert color="red" title={t('fleet.loadFailed')}>
          <Button variant="light" color="red" onClick={() => void fleet.refetch()}>
            {t('app.error.retry')}
          </Button>
        </Alert>
      ) : rows.length === 0 ? (
        <Alert color="gray">{t('fleet.none')}</Alert>
      ) : (
        <>
          <FleetTable rows={visible} sort={sort} dir={dir} onSort={sortBy} />
          {visible.length === 0 && (
            <Text c="dimmed" ta="center" role="status">
              {t('fleet.empty')}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
