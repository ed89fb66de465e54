import type { CompressorModel, MachineState, MetricKey } from '@airfleet/contracts';

export type LimitLevel = 'ok' | 'warning' | 'trip';

/** Warning and shutdown limits per metric, from the model's catalogue data (docs/domain.md §2). */
export function limitsOf(model: CompressorModel): Partial<Record<MetricKey, { warning: number; trip: number | null }>> {
  const l = model.limits;
  return {
    elementTempC: { warning: l.elementTempWarnC, trip: l.elementTempTripC },
    pressureBar: { warning: model.maxPressureBar + l.highPressureMarginBar, trip: null },
    separatorDpBar: { warning: l.separatorDpWarnBar, trip: l.separatorDpReplaceBar },
    airFilterDpMbar: { warning: l.airFilterDpWarnMbar, trip: l.airFilterDpReplaceMbar },
    vibrationMmS: { warning: l.vibrationWarnMmS, trip: l.vibrationTripMmS },
    motorCurrentA: { warning: l.motorCurrentWarnFactor * model.flaA, trip: l.motorCurrentTripFactor * model.flaA },
  };
}

export function limitLevel(metric: MetricKey, value: number | undefined, model: CompressorModel | undefined): LimitLevel {
  if (value === undefined || !model) return 'ok';
  const limit = limitsOf(model)[metric];
  if (!limit) return 'ok';
  if (limit.trip !== null && value >= limit.trip) return 'trip';
  return value > limit.warning ? 'warning' : 'ok';
}

export interface Health {
  /** 0–100: share of checks passed, as the SMARTLINK-style health score counts it. */
  score: number;
  passed: number;
  total: number;
  level: 'good' | 'attention' | 'critical';
}

/**
 * Instant health from the latest sample: each limit of the model is one check, plus "not
 * tripped". Null when there is nothing to judge (no data or unknown model).
 */
export function liveHealth(metrics: Partial<Record<string, number>> | undefined, state: MachineState | undefined, model: CompressorModel | undefined): Health | null {
  if (!metrics || !state || !model) return null;
  let passed = 0;
  let total = 0;
  let critical = state === 'tripped';
  for (const metric of Object.keys(limitsOf(model)) as MetricKey[]) {
    const value = metrics[metric];
    if (value === undefined) continue;
    total += 1;
    const level = limitLevel(metric, value, model);
    if (level === 'ok') passed += 1;
    if (level === 'trip') critical = true;
  }
  total += 1;
  if (state !== 'tripped') passed += 1;
  const score = Math.round((passed / total) * 100);
  return { score, passed, total, level: critical ? 'critical' : passed === total ? 'good' : 'attention' };
}
