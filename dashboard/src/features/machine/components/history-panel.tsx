import { Alert, Button, Group, Loader, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { memo, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetricKey, TelemetrySeries } from '@airfleet/contracts';
import { formatDateTime, formatDuration, formatNumber } from '../../../lib/format.ts';
import { fromLocalInput, pan, PRESETS, presetWindow, toLocalInput, zoomOut, zoomTo, type Preset, type TimeWindow } from './chart-range.ts';
import { seriesStats, toChartSeries } from './series.ts';
import { TimeSeriesChart } from './time-series-chart.tsx';

export const CHARTS: ReadonlyArray<{ metric: MetricKey; title: 'pressure' | 'adt' | 'power' | 'flow' | 'separatorDp' | 'airFilterDp' | 'vibration'; unit: 'bar' | 'celsius' | 'kw' | 'm3min' | 'mbar' | 'mms'; color: string; decimals: number }> = [
  { metric: 'pressureBar', title: 'pressure', unit: 'bar', color: '#1971c2', decimals: 2 },
  { metric: 'elementTempC', title: 'adt', unit: 'celsius', color: '#d9480f', decimals: 1 },
  { metric: 'powerKw', title: 'power', unit: 'kw', color: '#2b8a3e', decimals: 1 },
  { metric: 'flowM3Min', title: 'flow', unit: 'm3min', color: '#0b7285', decimals: 2 },
  { metric: 'separatorDpBar', title: 'separatorDp', unit: 'bar', color: '#5f3dc4', decimals: 3 },
  { metric: 'airFilterDpMbar', title: 'airFilterDp', unit: 'mbar', color: '#a61e4d', decimals: 1 },
  { metric: 'vibrationMmS', title: 'vibration', unit: 'mms', color: '#c92a2a', decimals: 2 },
];

interface HistoryPanelProps {
  deviceId: string;
  window: TimeWindow;
  onWindowChange: (w: TimeWindow) => void;
  data: TelemetrySeries | undefined;
  loading: boolean;
  failed: boolean;
  /** Width of one chart in px, to ask the server for the right number of buckets. */
  chartsRef: (node: HTMLDivElement | null) => void;
}

/** Memoised: live values re-render the machine page several times a second; the charts need not. */
export const HistoryPanel = memo(function HistoryPanel({ deviceId, window: w, onWindowChange, data, loading, failed, chartsRef }: HistoryPanelProps) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [custom, setCustom] = useState<{ from: string; to: string } | null>(null);
  const [invalid, setInvalid] = useState(false);
  const segment = custom ? 'custom' : (w.preset ?? 'custom');

  const choose = (value: string) => {
    setInvalid(false);
    if (value === 'custom') {
      setCustom({ from: toLocalInput(w.from), to: toLocalInput(w.to) });
      return;
    }
    setCustom(null);
    onWindowChange(presetWindow(value as Preset, Date.now()));
  };
  const applyCustom = () => {
    const from = custom ? fromLocalInput(custom.from) : null;
    const to = custom ? fromLocalInput(custom.to) : null;
    if (from === null || to === null || from >= to) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    setCustom(null);
    onWindowChange(zoomTo(from, to, Date.now()));
  };
  const labels = { time: t('machine.chart.time'), avg: t('machine.chart.avg'), min: t('machine.chart.min'), max: t('machine.chart.max') };
  // New arrays only when new data arrives: the charts redraw on identity change.
  const prepared = useMemo(
    () => (data ? CHARTS.map((c) => ({ c, series: toChartSeries(data, c.metric), stats: seriesStats(data, c.metric) })) : []),
    [data],
  );

  return (
    <Stack gap="sm">
      <Group gap="sm" wrap="wrap" align="flex-end">
        <div>
          <Text size="sm" fw={500} id={`range-${deviceId}`} mb={4}>
            {t('machine.range.label')}
          </Text>
          <SegmentedControl
            aria-labelledby={`range-${deviceId}`}
            value={segment}
            onChange={choose}
            data={[...PRESETS.map((p) => ({ value: p, label: t(`machine.range.${p}`) })), { value: 'custom', label: t('machine.range.custom') }]}
          />
        </div>
        <Group gap={6} wrap="wrap">
          <Button variant="default" size="sm" onClick={() => onWindowChange(pan(w, -1, Date.now()))}>
            ← {t('machine.range.panLeft')}
          </Button>
          <Button variant="default" size="sm" onClick={() => onWindowChange(zoomOut(w, Date.now()))}>
            {t('machine.range.zoomOut')}
          </Button>
          <Button variant="default" size="sm" onClick={() => onWindowChange(pan(w, 1, Date.now()))} disabled={w.to >= Date.now() - 1000}>
            {t('machine.range.panRight')} →
          </Button>
          {w.preset === null && (
            <Button variant="subtle" size="sm" onClick={() => choose('24h')}>
              {t('machine.range.reset')}
            </Button>
          )}
        </Group>
        {loading && <Loader size="sm" aria-label={t('app.loading')} />}
      </Group>
      {custom && (
        <Group gap="sm" align="flex-end" wrap="wrap">
          <TextInput type="datetime-local" label={t('machine.range.from')} value={custom.from} onChange={(e) => setCustom({ ...custom, from: e.currentTarget.value })} />
          <TextInput type="datetime-local" label={t('machine.range.to')} value={custom.to} onChange={(e) => setCustom({ ...custom, to: e.currentTarget.value })} />
          <Button onClick={applyCustom}>{t('machine.range.apply')}</Button>
          {invalid && (
            <Text c="red" size="sm" role="alert">
              {t('machine.range.invalid')}
            </Text>
          )}
        </Group>
      )}
      <Text size="xs" c="dimmed" aria-live="polite">
        {formatDateTime(w.from, lng)} – {formatDateTime(w.to, lng)}
        {data ? ` · ${t('machine.range.resolution', { bucket: formatDuration(data.bucketMs) })}` : ''} · {t('machine.range.hint')}
      </Text>
      {failed && <Alert color="red">{t('machine.chart.loadFailed')}</Alert>}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" ref={chartsRef}>
        {data &&
          prepared.map(({ c, series, stats }) => {
            const title = t(`machine.chart.${c.title}`);
            const unit = t(`units.${c.unit}`);
            const summary =
              stats.avg === null
                ? `${title}: ${t('machine.chart.noData')}`
                : t('machine.chart.summary', {
                    title,
                    from: formatDateTime(data.from, lng),
                    to: formatDateTime(data.to, lng),
                    avg: formatNumber(stats.avg, lng, c.decimals),
                    min: formatNumber(stats.min, lng, c.decimals),
                    max: formatNumber(stats.max, lng, c.decimals),
                    unit,
                  });
            return (
              <TimeSeriesChart
                key={c.metric}
                title={title}
                unit={unit}
                series={series}
                from={data.from}
                to={data.to}
                color={c.color}
                syncKey={`machine-${deviceId}`}
                labels={labels}
                lng={lng}
                summary={summary}
                onZoom={(from, to) => onWindowChange(zoomTo(from, to, Date.now()))}
              />
            );
          })}
      </SimpleGrid>
    </Stack>
  );
});
