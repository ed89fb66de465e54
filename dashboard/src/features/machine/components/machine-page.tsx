import { Alert, Anchor, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { MetricKey } from '@airfleet/contracts';
import { usePageTitle } from '../../../components/page-hooks.ts';
import { StateBadge } from '../../../components/state-badge.tsx';
import { useNow } from '../../../components/use-now.ts';
import { useModels, useSites } from '../../../lib/catalogue.ts';
import { formatAgo, formatTime } from '../../../lib/format.ts';
import { modelDisplayName } from '../../../lib/model-name.ts';
import { useMachine, useMachineLiveSync, useTelemetry } from '../api/machine.ts';
import { maxPointsFor, PRESETS, presetWindow, startOfDayInZone, type Preset, type TimeWindow } from './chart-range.ts';
import { CHARTS, HistoryPanel } from './history-panel.tsx';
import { KpiCards } from './kpi-cards.tsx';
import { LiveValues } from './live-values.tsx';
import { MachineFacts } from './machine-facts.tsx';
import { energyKwh, loadFactor, specificPower } from './series.ts';

const HISTORY_METRICS: readonly MetricKey[] = [...CHARTS.map((c) => c.metric), 'runningHours', 'loadedHours'];

/** The window lives in the URL (?range=7d or ?from=…&to=…): zooms are in the browser history, Back undoes them. */
function useTimeWindow(): [TimeWindow, (w: TimeWindow) => void] {
  const [params, setParams] = useSearchParams();
  const [anchor, setAnchor] = useState(() => Date.now());
  const lastPushed = useRef(params.toString());
  // Back/forward change the URL without us: compare with what is current.
  useEffect(() => {
    lastPushed.current = params.toString();
  }, [params]);
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  const rangeParam = params.get('range');
  const preset: Preset = (PRESETS as readonly string[]).includes(rangeParam ?? '') ? (rangeParam as Preset) : '24h';
  const custom = Number.isFinite(from) && Number.isFinite(to) && from > 0 && from < to;
  const window = useMemo(() => (custom ? { from, to, preset: null } : presetWindow(preset, anchor)), [custom, from, to, preset, anchor]);
  const setWindow = useCallback(
    (w: TimeWindow) => {
      const next = new URLSearchParams();
      if (w.preset) {
        setAnchor(w.to);
        if (w.preset !== '24h') next.set('range', w.preset);
      } else {
        next.set('from', String(w.from));
        next.set('to', String(w.to));
      }
      // Synced charts all report the same drag, in one event: one history entry, not seven.
      if (next.toString() === lastPushed.current) return;
      lastPushed.current = next.toString();
      setParams(next);
    },
    [setParams],
  );
  return [window, setWindow];
}

interface MachinePageProps {
  id: string;
  /** Composed by the app: the alarms and judgments features render these. */
  alarms: ReactNode;
  judgments: ReactNode;
  /** The maintenance plan and service history, composed by the app (maintenance feature). */
  maintenance?: ReactNode;
  /** The back link: the user's home page (fleet, portal or inbox) and its name. */
  home: { to: string; label: string };
}

export function MachinePage({ id, alarms, judgments, maintenance, home }: MachinePageProps) {
  const { t, i18n } = useTranslation();
  const machine = useMachine(id);
  useMachineLiveSync(id);
  const models = useModels();
  const sites = useSites();
  const now = useNow(5000);
  const [window, setWindow] = useTimeWindow();
  const { ref: chartsRef, width } = useElementSize();
  const chartWidth = width > 0 ? (width >= 900 ? width / 2 : width) : 0;

  const device = machine.data ?? null;
  const model = device ? models.data?.get(device.modelId) : undefined;
  const site = device ? sites.data?.get(device.siteId) : undefined;

  const history = useTelemetry(
    { id, from: window.from, to: window.to, metrics: HISTORY_METRICS, maxPoints: maxPointsFor(chartWidth) },
    // Wait for the charts' width: it decides how many buckets to ask for.
    device !== null && chartWidth > 0,
  );
  const [dayAnchor] = useState(() => Date.now());
  const dayStart = site ? startOfDayInZone(dayAnchor, site.timezone) : null;
  const today = useTelemetry({ id, from: dayStart ?? 0, to: dayAnchor, metrics: ['powerKw'], maxPoints: 288 }, device !== null && dayStart !== null);

  usePageTitle(id);

  const kpis = useMemo(
    () => ({
      loadFactor: history.data ? loadFactor(history.data) : null,
      specificPower: history.data ? specificPower(history.data) : null,
    }),
    [history.data],
  );
  const energyToday = useMemo(() => (today.data ? energyKwh(today.data) : null), [today.data]);

  if (machine.isPending) {
    return (
      <Group justify="center" p="xl">
        <Loader aria-label={t('app.loading')} />
      </Group>
    );
  }
  if (machine.isError) return <Alert color="red">{machine.error.message}</Alert>;
  if (!device) {
    return (
      <Stack>
        <Anchor component={Link} to={home.to} data-testid="machine-back">
          ← {home.label}
        </Anchor>
        <Alert color="gray">{t('machine.notFound', { id })}</Alert>
      </Stack>
    );
  }

  const state = !device.online ? 'offline' : (device.latest?.state ?? 'unknown');
  const lastSeen = device.lastSeenAt ? Date.parse(device.lastSeenAt) : null;

  return (
    <Stack gap="md">
      <Anchor component={Link} to={home.to} size="sm" data-testid="machine-back">
        ← {home.label}
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Group gap="sm" align="center">
            <Title order={1} size="h2">
              {device.id}
            </Title>
            <StateBadge state={state} size="lg" />
          </Group>
          <Text c="dimmed" size="sm">
            {modelDisplayName(device.modelId, model?.name ?? device.modelId, i18n.language)} · {site ? `${site.name} · ${site.customerName}` : device.siteId}
          </Text>
        </div>
        <Text size="sm" c="dimmed" aria-live="polite">
          {device.latest ? t('machine.liveAt', { time: formatTime(device.latest.ts, i18n.language) }) : t('machine.noData')}
          {lastSeen !== null ? ` (${formatAgo(lastSeen, now, t)})` : ''}
        </Text>
      </Group>

      <section aria-labelledby="live-values-title">
        <Title order={2} size="h4" id="live-values-title" mb="xs">
          {t('machine.liveValues')}
        </Title>
        <LiveValues device={device} model={model} />
      </section>

      <section aria-labelledby="kpis-title">
        <Title order={2} size="h4" id="kpis-title" mb="xs">
          {t('machine.kpis')}
        </Title>
        <KpiCards loadFactor={kpis.loadFactor} specificPower={kpis.specificPower} energyToday={energyToday} />
      </section>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="history-title">
        <Title order={2} size="h4" id="history-title" mb="sm">
          {t('machine.history')}
        </Title>
        <HistoryPanel
          deviceId={device.id}
          window={window}
          onWindowChange={setWindow}
          data={history.data}
          loading={history.isFetching}
          failed={history.isError}
          chartsRef={chartsRef}
        />
      </Paper>

      <SimpleGrid cols={{ base: 1, xl: 2 }} spacing="md">
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="alarms-title">
          <Title order={2} size="h4" id="alarms-title" mb="sm">
            {t('machine.alarms')}
          </Title>
          {alarms}
        </Paper>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="judgments-title">
          <Title order={2} size="h4" id="judgments-title" mb="sm">
            {t('machine.judgments')}
          </Title>
          {judgments}
        </Paper>
      </SimpleGrid>

      {maintenance && (
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="maintenance-title">
          <Title order={2} size="h4" id="maintenance-title" mb="sm">
            {t('service.maintenance.title')}
          </Title>
          {maintenance}
        </Paper>
      )}

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="facts-title">
        <Title order={2} size="h4" id="facts-title" mb="sm">
          {t('machine.facts')}
        </Title>
        <MachineFacts device={device} model={model} site={site} />
      </Paper>
    </Stack>
  );
}
