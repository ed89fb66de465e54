import type { AlarmsRepository } from './alarms.repository.ts';
import type { AlarmNotifier } from './alarms.service.ts';
import { DATA_GAP_INTERVALS, dataGapThresholdMs, DEFAULT_TELEMETRY_INTERVAL_MS } from './data-gap.domain.ts';

export interface DataGapSweepDeps {
  alarms: AlarmsRepository;
  notify: AlarmNotifier;
  /** docs/domain.md §7: a data gap is no telemetry for 3 reporting intervals although online. */
  intervals?: number;
  /** For devices whose birth message did not state telemetryIntervalMs. */
  defaultIntervalMs?: number;
}

/**
 * The connectivity sweep: raises `data_gap` for online devices whose telemetry stopped and
 * ends it for devices that went offline (the last will is its own alarm) or send again.
 * Arrival is judged on receive time, because a gap is about data not arriving now; the
 * clock is injected so tests can step it.
 */
export async function sweepDataGaps(deps: DataGapSweepDeps, nowMs: number): Promise<{ raised: number; cleared: number }> {
  const factor = deps.intervals ?? DATA_GAP_INTERVALS;
  const fallback = deps.defaultIntervalMs ?? DEFAULT_TELEMETRY_INTERVAL_MS;
  let raised = 0;
  for (const gap of await deps.alarms.devicesWithDataGap(nowMs, factor, fallback)) {
    const silentS = Math.round((nowMs - gap.lastAt) / 1000);
    const { alarm, created } = await deps.alarms.raise(gap.deviceId, {
      type: 'data_gap',
      severity: 'minor',
      source: 'connectivity',
      message: `No telemetry for ${silentS} s although online (reporting every ${Math.round(gap.intervalMs / 1000)} s)`,
      value: silentS,
      threshold: Math.round(dataGapThresholdMs(gap.intervalMs, factor) / 1000),
      ts: nowMs,
    });
    if (created) raised += 1;
    deps.notify(alarm, created ? 'raised' : 'repeated');
  }
  const ended = await deps.alarms.endedDataGaps(nowMs, factor, fallback);
  const cleared = await deps.alarms.clearTypeFor(ended, 'data_gap', nowMs);
  for (const alarm of cleared) deps.notify(alarm, 'cleared');
  return { raised, cleared: cleared.length };
}
