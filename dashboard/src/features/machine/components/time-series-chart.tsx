import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { ChartFigure } from '../../../components/chart-figure.tsx';
import { fitToHost } from '../../../lib/chart-fit.ts';
import classes from './time-series-chart.module.css';
import type { ChartSeries } from './series.ts';

export interface TimeSeriesChartProps {
  title: string;
  unit: string;
  series: ChartSeries;
  from: number;
  to: number;
  color: string;
  /** Charts with the same key share the cursor. */
  syncKey: string;
  labels: { time: string; avg: string; min: string; max: string };
  lng: string;
  /** A drag-selection: the new window in epoch ms. */
  onZoom: (from: number, to: number) => void;
  /** Text alternative (figures over the window) for screen readers. */
  summary: string;
  height?: number;
}

function tickFormatter(lng: string) {
  // 24-hour clock everywhere: no AM/PM ambiguity on a plant floor, and shorter labels.
  const time = new Intl.DateTimeFormat(lng, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const dayTime = new Intl.DateTimeFormat(lng, { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = new Intl.DateTimeFormat(lng, { month: 'numeric', day: 'numeric' });
  return (u: uPlot, splits: number[]) => {
    const span = (u.scales.x!.max ?? 0) - (u.scales.x!.min ?? 0);
    const f = span <= 36 * 3600 ? time : span <= 4 * 86400 ? dayTime : day;
    return splits.map((s) => f.format(new Date(s * 1000)));
  };
}

function withAlpha(hex: string, alpha: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

let drawSeq = 0;

/**
 * A uPlot canvas chart (Grafana's choice: 100k points in tens of ms) of one metric's bucket
 * averages with a min/max band. Drag to select a time window (zoom); the parent refetches
 * finer buckets for it. Each draw after new data is recorded as the performance measure
 * `airfleet:chart-draw` (the dashboard benchmark reads it).
 */
export function TimeSeriesChart({ title, unit, series, from, to, color, syncKey, labels, lng, onZoom, summary, height = 180 }: TimeSeriesChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<uPlot | null>(null);
  const onZoomRef = useRef(onZoom);
  const pendingMark = useRef<{ name: string; points: number } | null>(null);

  useEffect(() => {
    onZoomRef.current = onZoom;
  });

  // Create once per language/colour; data changes go through setData below.
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const opts: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height,
      cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: syncKey } },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      legend: { show: true, live: true },
      scales: { x: { time: true } },
      axes: [
        { values: tickFormatter(lng), stroke: '#495057', grid: { stroke: '#e9ecef' }, ticks: { stroke: '#ced4da' } },
        { label: unit, stroke: '#495057', grid: { stroke: '#e9ecef' }, ticks: { stroke: '#ced4da' }, size: 56 },
      ],
      series: [
        { label: labels.time, value: (_u, v) => (v === null ? '—' : new Date(v * 1000).toLocaleString(lng, { dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' })) },
        { label: labels.min, stroke: withAlpha(color, 0.45), width: 1, points: { show: false } },
        { label: labels.max, stroke: withAlpha(color, 0.45), width: 1, points: { show: false } },
        { label: labels.avg, stroke: color, width: 1.75, points: { show: false } },
      ],
      bands: [{ series: [2, 1], fill: withAlpha(color, 0.15) }],
      hooks: {
        setSelect: [
          (u) => {
            if (u.select.width > 3) {
              const a = u.posToVal(u.select.left, 'x') * 1000;
              const b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
              onZoomRef.current(Math.min(a, b), Math.max(a, b));
            }
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        draw: [
          () => {
            const mark = pendingMark.current;
            if (!mark) return;
            pendingMark.current = null;
            performance.measure('airfleet:chart-draw', { start: mark.name, detail: { points: mark.points, title } });
            performance.clearMarks(mark.name);
          },
        ],
      },
    };
    const plot = new uPlot(opts, [[], [], [], []], host);
    plotRef.current = plot;
    const unfit = fitToHost(plot, host, 200, height);
    return () => {
      unfit();
      plot.destroy();
      plotRef.current = null;
    };
  }, [lng, color, unit, height, syncKey, labels.time, labels.avg, labels.min, labels.max, title]);

  useEffect(() => {
    const plot = plotRef.current;
    if (!plot) return;
    const name = `airfleet:chart-start:${(drawSeq += 1)}`;
    performance.mark(name);
    pendingMark.current = { name, points: series.x.length };
    plot.batch(() => {
      plot.setData([series.x, series.min, series.max, series.avg] as uPlot.AlignedData, true);
      plot.setScale('x', { min: from / 1000, max: to / 1000 });
    });
  }, [series, from, to, lng, color, unit, height, syncKey, title]);

  return (
    <ChartFigure
      hostRef={hostRef}
      title={title}
      unit={unit}
      summary={summary}
      captionGap={2}
      className={classes.chart}
      data-testid="history-chart"
      data-points={series.x.length}
    />
  );
}
