import { describe, expect, it } from 'vitest';
import { findModel, type DeviceEvent, type MachineState, type Metrics, type Telemetry } from '@airfleet/contracts';
import { initialRuleState, type RuleState } from './rule-state.ts';
import { ruleSetFor } from './rule-set.ts';
import type { JudgmentDraft, ServiceRecord } from './rule-types.ts';
import { evaluateDevice, type AlarmOp, type DeviceInputs } from './rules.engine.ts';

const AF37 = findModel('AF37')!;
const RULES = ruleSetFor(AF37);
const T0 = Date.UTC(2025, 10, 3, 8, 0, 0);
const DAY = 86_400_000;

function sample(ts: number, metrics: Metrics, state: MachineState = 'loaded', seq = 0): Telemetry {
  return { ts, seq, state, metrics };
}

/** Freezes a value and everything it holds: a write into it then throws (modules are strict). */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/**
 * Feeds inputs one batch at a time, as ingest would, carrying the state between batches (event
 * time only: no clock). Each state goes in frozen: the engine copies only what it writes into,
 * so any in-place change of its input fails every test that drives it.
 */
function drive(batches: Array<Partial<DeviceInputs>>, start: RuleState = initialRuleState(), serviceRecords: ServiceRecord[] = []) {
  let state = start;
  const alarms: AlarmOp[] = [];
  const judgments: JudgmentDraft[] = [];
  let late = 0;
  let records = serviceRecords;
  for (const b of batches) {
    const out = evaluateDevice(RULES, deepFreeze(state), { samples: [], events: [], statuses: [], serviceRecords: records, ...b });
    state = out.state;
    alarms.push(...out.alarms);
    judgments.push(...out.judgments);
    records = [...records, ...out.seedService];
    late += out.lateSamples;
  }
  return { state, alarms, judgments, late, records };
}

const every = (periodMs: number, n: number, f: (ts: number, i: number) => Metrics, state: MachineState = 'loaded'): Array<Partial<DeviceInputs>> =>
  Array.from({ length: n }, (_, i) => ({ samples: [sample(T0 + i * periodMs, f(T0 + i * periodMs, i), state, i)] }));

const ofType = (ops: AlarmOp[], type: string, op?: AlarmOp['op']) => ops.filter((o) => o.type === type && (!op || o.op === op));

describe('threshold and condition rules (limits from the catalogue)', () => {
  // One row per rule, built from the rule set itself: every limit is data from the model.
  const rows = RULES.thresholds.map((r) => ({
    type: r.type,
    rule: r,
    state: (r.states?.[0] ?? 'loaded') as MachineState,
    above: r.inclusive ? r.raiseAbove : r.raiseAbove + 0.5,
    between: (r.raiseAbove + r.clearBelow) / 2,
    below: r.clearBelow - 0.5,
  }));

  it.each(rows)('$type fires after its duration and not before', ({ rule, state, above }) => {
    const period = 5000;
    const n = Math.ceil(rule.forMs / period) + 3;
    const { alarms } = drive(every(period, n, () => ({ [rule.metric]: above }), state));
    const raises = ofType(alarms, rule.type, 'raise');
    expect(raises).toHaveLength(1);
    // The first sample whose distance from the first true sample reaches forMs.
    expect(raises[0]!.ts).toBe(T0 + Math.ceil(rule.forMs / period) * period);
    expect(raises[0]).toMatchObject({ severity: rule.severity, value: above, threshold: rule.raiseAbove, source: 'rule' });
  });

  it.each(rows)('$type clears with hysteresis: not between the limits, only below clearBelow', ({ rule, state, above, between, below }) => {
    const period = 5000;
    const hot = Math.ceil(rule.forMs / period) + 2;
    const seq = [...Array(hot).fill(above), between, between, between, below];
    const { alarms } = drive(every(period, seq.length, (_, i) => ({ [rule.metric]: seq[i] }), state));
    const mine = alarms.filter((o) => o.type === rule.type && o.op !== 'touch');
    expect(mine.map((o) => o.op)).toEqual(['raise', 'clear']);
    expect(mine[1]!.ts).toBe(T0 + (seq.length - 1) * period);
  });

  it.each(rows)('$type never duplicates an active alarm (repeats only touch it)', ({ rule, state, above }) => {
    const period = 10_000;
    const { alarms } = drive(every(period, Math.ceil(rule.forMs / period) + 30, () => ({ [rule.metric]: above }), state));
    expect(ofType(alarms, rule.type, 'raise')).toHaveLength(1);
    const touches = ofType(alarms, rule.type, 'touch');
    expect(touches.length).toBeGreaterThan(0);
    // Touches are throttled: at most one per touchEveryMs of event time.
    for (let i = 1; i < touches.length; i += 1) expect(touches[i]!.ts - touches[i - 1]!.ts).toBeGreaterThanOrEqual(RULES.touchEveryMs);
  });

  it('a dip below the limit restarts the duration', () => {
    const seq = [115, 115, 115, 115, 100, 115, 115, 115, 115, 115, 115, 115, 115, 115];
    const { alarms } = drive(every(10_000, seq.length, (_, i) => ({ elementTempC: seq[i]! })));
    const raise = ofType(alarms, 'element_temp_warning', 'raise');
    expect(raise).toHaveLength(1);
    expect(raise[0]!.ts).toBe(T0 + 11 * 10_000); // 60 s after the sample at index 5
  });

  it('a long gap between samples breaks continuity', () => {
    const { alarms } = drive([
      { samples: [sample(T0, { elementTempC: 115 })] },
      { samples: [sample(T0 + 10 * 60_000, { elementTempC: 115 })] },
    ]);
    expect(ofType(alarms, 'element_temp_warning', 'raise')).toHaveLength(0);
  });

  it('separator ΔP is judged only while loaded: unloaded readings neither raise nor clear', () => {
    const period = 60_000;
    const batches = every(period, 12, () => ({ separatorDpBar: 0.75 }), 'unloaded');
    expect(ofType(drive(batches).alarms, 'separator_replace')).toHaveLength(0);
    const loaded = every(period, 12, () => ({ separatorDpBar: 0.75 }));
    const hot = drive(loaded);
    expect(ofType(hot.alarms, 'separator_replace', 'raise')).toHaveLength(1);
    const after = drive([{ samples: [sample(T0 + 13 * period, { separatorDpBar: 0.1 }, 'unloaded')] }], hot.state);
    expect(ofType(after.alarms, 'separator_replace', 'clear')).toHaveLength(0);
  });
});

describe('judgments that go with alarms', () => {
  it('ADT above warning derates; back below the hysteresis limit lifts the derate', () => {
    const seq = [...Array(8).fill(112), 104];
    const { judgments } = drive(every(10_000, seq.length, (_, i) => ({ elementTempC: seq[i] })));
    const derates = judgments.filter((j) => j.kind === 'derate');
    expect(derates[0]).toMatchObject({ kind: 'derate', severity: 'major', params: { maxLoadedDutyPct: 70 }, ts: T0 + 60_000, source: 'rule', alarmType: 'element_temp_warning' });
    expect(derates[0]!.expiresAt).toBeGreaterThan(derates[0]!.ts);
    expect(derates.at(-1)).toMatchObject({ params: { maxLoadedDutyPct: 100 }, severity: 'info', ts: T0 + 80_000 });
  });

  it('a critical condition on a running machine requests a shutdown; on a tripped one it does not', () => {
    const running = drive([{ samples: [sample(T0, { elementTempC: 121 }, 'loaded')] }]);
    expect(running.judgments.filter((j) => j.kind === 'shutdown_request')).toMatchObject([{ severity: 'critical', params: { code: 'element_temp_shutdown' } }]);
    const tripped = drive([{ samples: [sample(T0, { elementTempC: 121 }, 'tripped')] }]);
    expect(tripped.judgments.filter((j) => j.kind === 'shutdown_request')).toEqual([]);
    expect(ofType(tripped.alarms, 'element_temp_shutdown', 'raise')).toHaveLength(1);
  });

  it('separator ΔP ≥ 0.7 bar means replace now: maintenance_due level B due now', () => {
    const { judgments, alarms } = drive(every(60_000, 12, () => ({ separatorDpBar: 0.72 })));
    expect(ofType(alarms, 'separator_replace', 'raise')[0]).toMatchObject({ severity: 'major' });
    expect(judgments.filter((j) => j.kind === 'maintenance_due')).toMatchObject([{ params: { level: 'B', dueInHours: 0, dueInDays: 0 } }]);
  });
});

describe('counter rule: starts per hour from the motorStarts counter', () => {
  it('raises on the 7th start within a rolling hour, not before, and clears with hysteresis', () => {
    // One sample a minute; a start every 8 minutes (7.5/h) for 80 minutes, then no more.
    const batches = every(60_000, 200, (_, i) => ({ motorStarts: 1000 + Math.min(Math.floor(i / 8), 10) }));
    const { alarms } = drive(batches);
    const ops = alarms.filter((o) => o.type === 'starts_per_hour');
    expect(ops.map((o) => o.op)).toEqual(['raise', 'clear']);
    // Starts counted in (t − 60 min, t]: the 7th start after 1000 happens at minute 56.
    expect(ops[0]).toMatchObject({ ts: T0 + 56 * 60_000, value: 7, threshold: 6 });
    // Clears once at most 4 starts remain in the window: the last start was at minute 80.
    expect(ops[1]!.ts).toBeGreaterThan(T0 + 80 * 60_000);
  });

  it('a replaced controller (counter going down) starts counting afresh instead of alarming', () => {
    const batches = every(60_000, 30, (_, i) => ({ motorStarts: i < 10 ? 5000 : 3 }));
    expect(ofType(drive(batches).alarms, 'starts_per_hour')).toEqual([]);
  });
});

describe('rate-of-change rule: ADT minus ambient at load, daily aggregates', () => {
  const days = (kPerDay: number, n: number, noise = 0) =>
    Array.from({ length: n }, (_, d) => ({
      samples: Array.from({ length: 40 }, (_, k) =>
        // Ambient swings day to day; ADT follows it one for one (docs/domain.md §3), so only ΔT's trend matters.
        sample(T0 + d * DAY + k * 60_000, { elementTempC: 25 + (d % 3) * 4 + 60 + d * kPerDay + (k % 2 ? noise : -noise), ambientTempC: 25 + (d % 3) * 4 }),
      ),
    }));

  it('fires on the first sample of the day after three rising days, not before', () => {
    const { alarms } = drive(days(2, 6));
    const raise = ofType(alarms, 'adt_rise_rate', 'raise');
    expect(raise).toHaveLength(1);
    // Days 0, 1, 2 complete: evaluated at the first sample of day 3 (ambient swings cancel out of ΔT).
    expect(raise[0]).toMatchObject({ ts: T0 + 3 * DAY, severity: 'warning' });
    expect(raise[0]!.op === 'raise' && raise[0]!.value).toBeCloseTo(2, 5);
  });

  it('a flat but noisy ΔT never fires, whatever the ambient does', () => {
    expect(ofType(drive(days(0, 14, 3)).alarms, 'adt_rise_rate')).toEqual([]);
  });

  it('clears once the trend flattens', () => {
    const rising = drive(days(2, 5));
    const flat = Array.from({ length: 10 }, (_, d) => ({
      samples: Array.from({ length: 40 }, (_, k) => sample(T0 + (5 + d) * DAY + k * 60_000, { elementTempC: 95, ambientTempC: 25 })),
    }));
    const after = drive(flat, rising.state);
    expect(ofType(after.alarms, 'adt_rise_rate').map((o) => o.op)).toEqual(['clear']);
  });
});

describe('service-interval rule (hours OR calendar per plan level)', () => {
  it('a brand-new install raises nothing on day one: first sight seeds the plan from the counters', () => {
    const { alarms, judgments, records } = drive([{ samples: [sample(T0, { runningHours: 0.5 })] }]);
    expect(alarms).toEqual([]);
    expect(judgments).toEqual([]);
    expect(records.map((r) => [r.level, r.lastHours, r.done])).toEqual([
      ['first', 0, false],
      ['A', 0, false],
      ['B', 0, false],
      ['C', 0, false],
    ]);
  });

  it('a machine in service is reminded at its next regular interval, not at once', () => {
    const { records, judgments } = drive([{ samples: [sample(T0, { runningHours: 12_345 })] }]);
    expect(records.find((r) => r.level === 'A')).toMatchObject({ lastHours: 12_000, done: false });
    expect(records.find((r) => r.level === 'first')).toMatchObject({ done: true });
    expect(judgments).toEqual([]);
  });

  it('maintenance_due when a level is due within 100 running hours; an overdue alarm past it', () => {
    // 4 running hours a day (a sample every 6 h): the 100-hour horizon comes before the 14-day one.
    const H6 = 6 * 3_600_000;
    const batches = Array.from({ length: 420 }, (_, i) => ({ samples: [sample(T0 + i * H6, { runningHours: 100 + i })] }));
    const { judgments, alarms } = drive(batches);
    const due = judgments.filter((j) => j.kind === 'maintenance_due');
    // First service at 500 h: due within 100 h from 400 h on, i.e. at sample 300, not before.
    expect(due[0]).toMatchObject({ ts: T0 + 300 * H6, params: { level: 'first', dueInHours: 100, dueInDays: 25 }, severity: 'minor' });
    const overdue = ofType(alarms, 'service_overdue_first');
    expect(overdue.map((o) => o.op)).toEqual(['raise']);
    expect(overdue[0]).toMatchObject({ source: 'service', ts: T0 + 400 * H6 });
    expect(due.at(-1)).toMatchObject({ severity: 'major', params: { level: 'first', dueInHours: expect.any(Number) } });
    expect(due.at(-1)!.kind === 'maintenance_due' && due.at(-1)!.params.dueInHours).toBeLessThanOrEqual(0);
  });

  describe('one overdue alarm per machine visit, for the level performed (B includes A)', () => {
    // Seeded at 1 900 h: first done, A/B/C last "done" at 0 h. A is due at 2 000 h, B at 4 000 h, C at 8 000 h.
    const seeded = drive([{ samples: [sample(T0, { runningHours: 1_900 })] }]);
    const at = (days: number, runningHours: number): Partial<DeviceInputs> => ({ samples: [sample(T0 + days * DAY, { runningHours })] });
    const resetB = (days: number, hours: number): ServiceRecord[] => [
      ...seeded.records.filter((r) => r.level === 'C'),
      ...(['first', 'A', 'B'] as const).map((level) => ({ level, lastHours: hours, lastAt: T0 + days * DAY, done: true, source: 'service' as const })),
    ];
    const serviceOps = (ops: AlarmOp[]) => ops.filter((o) => o.type.startsWith('service_overdue_')).map((o) => `${o.op} ${o.type}`);

    const step1 = drive([at(5, 2_010)], seeded.state, seeded.records);
    const step2 = drive([at(95, 4_010)], step1.state, step1.records);
    const step3 = drive([at(96, 4_020)], step2.state, resetB(96, 4_020));
    const step4 = drive([at(181, 6_030)], step3.state, step3.records);

    it.each([
      { when: 'only A overdue', ops: step1.alarms, want: ['raise service_overdue_A'] },
      { when: 'A and B overdue: one alarm B, and the A alarm it covers ends', ops: step2.alarms, want: ['raise service_overdue_B', 'clear service_overdue_A'] },
      { when: 'service_reset B recorded', ops: step3.alarms, want: ['clear service_overdue_B'] },
      { when: 'later only A overdue again', ops: step4.alarms, want: ['raise service_overdue_A'] },
    ])('$when → $want', ({ ops, want }) => {
      expect(serviceOps(ops)).toEqual(want);
    });

    it('the alarm says which levels its visit includes and which are overdue', () => {
      const raise = step2.alarms.find((o) => o.op === 'raise' && o.type === 'service_overdue_B');
      expect(raise).toMatchObject({ source: 'service', value: -2010, threshold: 0 });
      expect(raise!.op === 'raise' && raise!.message).toMatch(/^Service level B \(includes A\) overdue \(A 2010 running hours \/ [\d.]+ days past due; B 10 running hours \/ [\d.]+ days past due\)$/);
      expect(step2.state.service?.overdue).toEqual(['B']);
      expect(step3.state.service?.overdue).toEqual([]);
    });

    it('a state that still holds an alarm per level (A and B) keeps only the visit alarm', () => {
      const legacy = { ...step2.state, service: { ...step2.state.service!, overdue: ['A', 'B'], lastCheckTs: null } };
      const out = drive([at(95.5, 4_015)], legacy, step2.records);
      expect(serviceOps(out.alarms)).toEqual(['clear service_overdue_A']);
    });
  });

  it('the calendar counts too: 12 months bring A and B due together, and B (which includes A) is advised', () => {
    const seeded = drive([{ samples: [sample(T0, { runningHours: 600 })] }]);
    const elevenMonthsLater = Date.UTC(2026, 9, 24, 8);
    const out = drive([{ samples: [sample(elevenMonthsLater, { runningHours: 700 })] }], seeded.state, seeded.records);
    const due = out.judgments.find((j) => j.kind === 'maintenance_due');
    expect(due).toMatchObject({ params: { level: 'B' } });
    expect(due!.kind === 'maintenance_due' && due!.params.dueInDays).toBeCloseTo(10, 0);
  });
});

describe('device events and connectivity', () => {
  const trip: DeviceEvent = { ts: T0 + 1000, type: 'trip', code: 'ADT_HIGH_TRIP', values: { elementTempC: 120.4 } };

  it('a trip event is a critical alarm that ends when the machine was reset, not while it stays tripped', () => {
    const out = drive([
      { events: [trip], samples: [sample(T0 + 2000, { elementTempC: 119 }, 'tripped')] },
      { samples: [sample(T0 + 7000, { elementTempC: 100 }, 'tripped')] },
      { samples: [sample(T0 + 60_000, { elementTempC: 80 }, 'stopped')] },
    ]);
    const ops = ofType(out.alarms, 'element_temp_shutdown');
    expect(ops.map((o) => o.op)).toEqual(['raise', 'clear']);
    expect(ops[0]).toMatchObject({ source: 'device', severity: 'critical', ts: T0 + 1000, value: 120.4 });
    expect(ops[1]!.ts).toBe(T0 + 60_000);
  });

  it('a trip reset ends a trip alarm; a service-counter reset does not', () => {
    const service = drive([{ events: [trip] }, { events: [{ ts: T0 + 5000, type: 'reset', code: 'SERVICE_RESET' }] }]);
    expect(ofType(service.alarms, 'element_temp_shutdown').map((o) => o.op)).toEqual(['raise']);
    const reset = drive([{ events: [trip] }, { events: [{ ts: T0 + 5000, type: 'reset', code: 'TRIP_RESET' }] }]);
    expect(ofType(reset.alarms, 'element_temp_shutdown').map((o) => o.op)).toEqual(['raise', 'clear']);
  });

  it('an unknown trip code still raises, typed by its code', () => {
    const out = drive([{ events: [{ ts: T0, type: 'trip', code: 'OIL_LEVEL_LOW' }] }]);
    expect(out.alarms).toMatchObject([{ op: 'raise', type: 'trip:OIL_LEVEL_LOW', severity: 'critical' }]);
  });

  it('a device warning ends after a quiet period unless a cloud rule still holds it', () => {
    const warn: DeviceEvent = { ts: T0, type: 'warning', code: 'SENSOR_FAULT' };
    const out = drive([{ events: [warn] }, { samples: [sample(T0 + 10 * 60_000, {})] }, { samples: [sample(T0 + 31 * 60_000, {})] }]);
    expect(ofType(out.alarms, 'sensor_fault').map((o) => [o.op, o.ts])).toEqual([
      ['raise', T0],
      ['clear', T0 + 31 * 60_000],
    ]);
  });

  it('the last will raises device_offline, an orderly shutdown does not, the birth clears it', () => {
    const out = drive([
      { statuses: [{ online: false, ts: T0, will: true }] },
      { statuses: [{ online: false, ts: T0 + 1, will: true }] },
      { statuses: [{ online: true, ts: T0 + 5000, will: false }] },
      { statuses: [{ online: false, ts: T0 + 9000, will: false }] },
    ]);
    expect(ofType(out.alarms, 'device_offline').map((o) => o.op)).toEqual(['raise', 'clear']);
  });
});

describe('event time and out-of-order samples', () => {
  it('samples older than the newest are stored and counted but raise nothing', () => {
    const live = drive([{ samples: [sample(T0 + 3_600_000, { elementTempC: 80, motorStarts: 100 })] }]);
    const replay = Array.from({ length: 20 }, (_, i) => sample(T0 + i * 10_000, { elementTempC: 125, motorStarts: 90 + i }));
    const out = drive([{ samples: replay }], live.state);
    expect(out.alarms).toEqual([]);
    expect(out.judgments).toEqual([]);
    expect(out.late).toBe(20);
    // The counter history took the late readings in.
    expect(out.state.counters['starts_per_hour']!.points.some(([ts]) => ts < T0 + 3_600_000)).toBe(true);
  });

  it('one batch or many, fast or slow: the same samples give the same alarms (event time)', () => {
    const seq = Array.from({ length: 40 }, (_, i) => sample(T0 + i * 5000, { elementTempC: i < 30 ? 115 : 100, motorStarts: 10 }));
    const oneByOne = drive(seq.map((s) => ({ samples: [s] })));
    const together = drive([{ samples: [...seq].reverse() }]);
    expect(together.alarms).toEqual(oneByOne.alarms);
    expect(together.judgments).toEqual(oneByOne.judgments);
  });
});
