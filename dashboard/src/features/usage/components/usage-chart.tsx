import { useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { UsageResponse } from '@airfleet/contracts';
import { ChartFigure } from '../../../components/chart-figure.tsx';
import { fitToHost } from '../../../lib/chart-fit.ts';
import { formatNumber } from '../../../lib/format.ts';
import { formatPeriod } from './usage-range.ts';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface UsageChartProps {
  /** One label per bar (period). */
  labels: string[];
  total: number[];
  unloaded: number[];
  title: string;
  unit: string;
  seriesLabels: { total: string; unloaded: string };
  /** Text alternative for screen readers (the tables below carry every figure too). */
  summary: string;
  height?: number;
}

// Dark blue and a mid grey: distinct on screen and still two different greys on a black-and-white print.
const TOTAL = '#1c4f82';
const UNLOADED = '#868e96';

/**
 * Energy per period as bars: the whole bar is the period's energy, the grey part at its foot
 * the energy spent running unloaded (drawn over it, so it reads as a stack).
 */
export function UsageChart({ labels, total, unloaded, title, unit, seriesLabels, summary, height = 220 }: UsageChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const x = labels.map((_, i) => i);
    const bars = uPlot.paths.bars!({ size: [0.7, 64], align: 0 });
    const opts: uPlot.Options = {
      width: Math.max(240, host.clientWidth),
      height,
      cursor: { drag: { x: false, y: false } },
      legend: { show: true, live: false },
      scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.08 : 1] } },
      axes: [
        {
          stroke: '#495057',
          grid: { show: false },
          ticks: { stroke: '#ced4da' },
          // Integer positions only; thin out labels so they never overlap.
          splits: () => {
            const step = Math.max(1, Math.ceil(labels.length / Math.max(1, Math.floor(host.clientWidth / 90))));
            return x.filter((i) => i % step === 0);
          },
          values: (_u, splits) => splits.map((s) => labels[s] ?? ''),
        },
        { label: unit, stroke: '#495057', grid: { stroke: '#e9ecef' }, ticks: { stroke: '#ced4da' }, size: 64 },
      ],
      series: [
        { label: title, value: (_u, v) => (v === null ? '—' : (labels[v] ?? '')) },
        { label: seriesLabels.total, stroke: TOTAL, fill: TOTAL, paths: bars, points: { show: false } },
        { label: seriesLabels.unloaded, stroke: UNLOADED, fill: UNLOADED, paths: bars, points: { show: false } },
      ],
    };
    const plot = new uPlot(opts, [x, total, unloaded], host);
    const unfit = fitToHost(plot, host, 240, height);
    return () => {
      unfit();
      plot.destroy();
    };
  }, [labels, total, unloaded, title, unit, seriesLabels.total, seriesLabels.unloaded, height]);

  return (
    <ChartFigure hostRef={hostRef} title={title} unit={unit} summary={summary} data-testid="usage-chart" data-bars={labels.length} />
  );
}

/** A usage report's energy per period, worded and labelled alike on the usage page and the printed report. */
export function ReportEnergyChart({ report, height }: { report: UsageResponse; height?: number }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const series = useMemo(
    () => ({
      labels: report.rows.map((r) => formatPeriod(r.period, report.granularity, lng)),
      total: report.rows.map((r) => r.kwh),
      unloaded: report.rows.map((r) => r.unloadedKwh),
    }),
    [report, lng],
  );
  return (
    <UsageChart
      {...series}
      title={t('portal.usage.chartTitle')}
      unit="kWh"
      seriesLabels={{ total: t('portal.usage.chartTotal'), unloaded: t('portal.usage.chartUnloaded') }}
      summary={`${t('portal.usage.chartTitle')}: ${formatNumber(report.totals.kwh, lng, 0)} kWh`}
      height={height}
    />
  );
}
