import type { CompressorModel } from '@airfleet/contracts';
import type { RuleSet, ThresholdRule } from './rule-types.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The rules of one compressor model. Every limit comes from the model catalogue
 * (`compressor_models.limits`, docs/domain.md §2) as data; what lives here is only how long a
 * condition must hold and how far below the limit it must fall to clear (hysteresis).
 */
export function ruleSetFor(model: CompressorModel): RuleSet {
  const l = model.limits;
  const thresholds: ThresholdRule[] = [
    {
      // docs/domain.md §2: ADT warning 110 °C. 60 s so one hot sample after a load change is not an alarm.
      kind: 'threshold',
      type: 'element_temp_warning',
      label: 'Element outlet temperature',
      metric: 'elementTempC',
      unit: '°C',
      raiseAbove: l.elementTempWarnC,
      inclusive: false,
      clearBelow: l.elementTempWarnC - 5,
      forMs: 60_000,
      states: null,
      severity: 'major',
      effect: { kind: 'derate', maxLoadedDutyPct: 70 },
    },
    {
      // At the trip limit the machine must stop (the controller trips at 120 °C itself).
      kind: 'threshold',
      type: 'element_temp_shutdown',
      label: 'Element outlet temperature',
      metric: 'elementTempC',
      unit: '°C',
      raiseAbove: l.elementTempTripC,
      inclusive: true,
      clearBelow: l.elementTempWarnC,
      forMs: 0,
      states: null,
      severity: 'critical',
      effect: { kind: 'shutdown_request' },
    },
    {
      // docs/domain.md §2: warning above max working pressure + 0.3 bar.
      kind: 'threshold',
      type: 'pressure_high',
      label: 'Net pressure',
      metric: 'pressureBar',
      unit: 'bar',
      raiseAbove: model.maxPressureBar + l.highPressureMarginBar,
      inclusive: false,
      clearBelow: model.maxPressureBar,
      forMs: 10_000,
      states: null,
      severity: 'major',
    },
    {
      // Separator ΔP depends on flow: judge it only while loaded. Wear is slow, so 10 min.
      kind: 'threshold',
      type: 'separator_dp_warning',
      label: 'Oil-separator ΔP',
      metric: 'separatorDpBar',
      unit: 'bar',
      raiseAbove: l.separatorDpWarnBar,
      inclusive: true,
      clearBelow: l.separatorDpWarnBar - 0.05,
      forMs: 10 * MIN,
      states: ['loaded'],
      severity: 'minor',
    },
    {
      // docs/domain.md §5: separator ΔP ≥ 0.7 bar → replace now, whatever the plan says.
      kind: 'condition',
      type: 'separator_replace',
      label: 'Oil-separator ΔP',
      metric: 'separatorDpBar',
      unit: 'bar',
      raiseAbove: l.separatorDpReplaceBar,
      inclusive: true,
      clearBelow: l.separatorDpWarnBar,
      forMs: 10 * MIN,
      states: ['loaded'],
      severity: 'major',
      effect: { kind: 'replace_now', level: 'B' },
    },
    {
      kind: 'threshold',
      type: 'air_filter_dp_warning',
      label: 'Air-filter ΔP',
      metric: 'airFilterDpMbar',
      unit: 'mbar',
      raiseAbove: l.airFilterDpWarnMbar,
      inclusive: true,
      clearBelow: l.airFilterDpWarnMbar - 3,
      forMs: 10 * MIN,
      states: ['loaded'],
      severity: 'minor',
    },
    {
      // docs/domain.md §5: air-filter ΔP ≥ 50 mbar → replace now (the element is in the level A kit).
      kind: 'condition',
      type: 'air_filter_replace',
      label: 'Air-filter ΔP',
      metric: 'airFilterDpMbar',
      unit: 'mbar',
      raiseAbove: l.airFilterDpReplaceMbar,
      inclusive: true,
      clearBelow: l.airFilterDpWarnMbar,
      forMs: 10 * MIN,
      states: ['loaded'],
      severity: 'major',
      effect: { kind: 'replace_now', level: 'A' },
    },
    {
      // Sustained vibration above the normal zone (≤ 2.8 mm/s, docs/domain.md §2) is the early sign of a
      // failing bearing: it "stays flat then rises steeply" (docs/domain.md §3), so this fires days before
      // the 4.5 mm/s warning and the 7.1 mm/s trip. A healthy machine stays well below it.
      kind: 'threshold',
      type: 'vibration_elevated',
      label: 'Vibration',
      metric: 'vibrationMmS',
      unit: 'mm/s',
      raiseAbove: l.vibrationNormalMaxMmS,
      inclusive: false,
      clearBelow: l.vibrationNormalMaxMmS - 0.3,
      forMs: 30 * MIN,
      states: ['loaded', 'unloaded'],
      severity: 'warning',
    },
    {
      // ISO 10816 class II zone boundaries (docs/domain.md §2); vibration is meaningful only while running.
      kind: 'threshold',
      type: 'vibration_warning',
      label: 'Vibration',
      metric: 'vibrationMmS',
      unit: 'mm/s',
      raiseAbove: l.vibrationWarnMmS,
      inclusive: true,
      clearBelow: l.vibrationWarnMmS - 0.5,
      forMs: 60_000,
      states: ['loaded', 'unloaded'],
      severity: 'minor',
    },
    {
      kind: 'threshold',
      type: 'vibration_trip',
      label: 'Vibration',
      metric: 'vibrationMmS',
      unit: 'mm/s',
      raiseAbove: l.vibrationTripMmS,
      inclusive: true,
      clearBelow: l.vibrationWarnMmS,
      forMs: 10_000,
      states: ['loaded', 'unloaded'],
      severity: 'critical',
      effect: { kind: 'shutdown_request' },
    },
    {
      // docs/domain.md §2: > 1.05 × FLA warning, > 1.15 × FLA overload.
      kind: 'threshold',
      type: 'motor_current_warning',
      label: 'Motor current',
      metric: 'motorCurrentA',
      unit: 'A',
      raiseAbove: round(model.flaA * l.motorCurrentWarnFactor),
      inclusive: false,
      clearBelow: model.flaA,
      forMs: 60_000,
      states: ['loaded', 'unloaded'],
      severity: 'major',
    },
    {
      kind: 'threshold',
      type: 'motor_overload',
      label: 'Motor current',
      metric: 'motorCurrentA',
      unit: 'A',
      raiseAbove: round(model.flaA * l.motorCurrentTripFactor),
      inclusive: false,
      clearBelow: round(model.flaA * l.motorCurrentWarnFactor),
      forMs: 10_000,
      states: ['loaded', 'unloaded'],
      severity: 'critical',
      effect: { kind: 'shutdown_request' },
    },
  ];
  return {
    modelId: model.id,
    maxPressureBar: model.maxPressureBar,
    thresholds,
    counters: [
      {
        kind: 'counter',
        type: 'starts_per_hour',
        metric: 'motorStarts',
        windowMs: HOUR,
        raiseAbove: l.maxStartsPerHour,
        clearAtOrBelow: Math.max(0, l.maxStartsPerHour - 2),
        severity: 'warning',
      },
    ],
    rate: {
      kind: 'rate',
      type: 'adt_rise_rate',
      // Cooler fouling raises ΔT slowly (docs/domain.md §3); a healthy machine's daily mean ΔT at load
      // wanders well under 0.5 K/day. 1 K/day sustained over ≥ 3 days is a trend, days before a trip.
      raiseAboveKPerDay: 1,
      clearBelowKPerDay: 0.4,
      minRiseK: 3,
      windowDays: 7,
      minDays: 3,
      minSamplesPerDay: 30,
      severity: 'warning',
    },
    service: {
      levels: model.servicePlan.levels.map((p) => ({ level: p.level, intervalHours: p.intervalHours, intervalMonths: p.intervalMonths })),
      horizonHours: 100,
      horizonDays: 14,
      defaultHoursPerDay: 16,
      everyMs: HOUR,
      severity: 'minor',
    },
    touchEveryMs: 60_000,
    maxGapMs: 5 * MIN,
    lateEventToleranceMs: 60_000,
    deviceWarningQuietMs: 30 * MIN,
  };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}
