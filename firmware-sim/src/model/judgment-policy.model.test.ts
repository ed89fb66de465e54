import { DEVICE_EVENT_CODES, judgmentAckSchema, type DeviceEvent, type Judgment } from '@airfleet/contracts';
import { describe, expect, it } from 'vitest';
import { advance, initialState } from './compressor.model.ts';
import { decideJudgment, decideRawJudgment, MAX_REMEMBERED_JUDGMENTS, statusFields } from './judgment-policy.model.ts';
import { effectiveBand, type CompressorState } from './physics.model.ts';
import { serviceHoursSince } from './service.model.ts';

const MONDAY = Date.UTC(2025, 10, 17);
const HOUR = 3_600_000;
const WORKDAY = MONDAY + 9 * HOUR;
const BUSY = { weekTimer: false, dayLevel: 0.6, nightLevel: 0.6, weekendLevel: 0.6, leakFraction: 0.15 };

let n = 0;
function j<K extends Judgment['kind']>(kind: K, params: Extract<Judgment, { kind: K }>['params'], over: Partial<Judgment> = {}): Judgment {
  n += 1;
  return { id: `jdg-${n}`, ts: WORKDAY, kind, severity: 'minor', reason: 'test', params, expiresAt: WORKDAY + 24 * HOUR, ...over } as Judgment;
}

function machine(modelId = 'AF37'): CompressorState {
  return advance(initialState(modelId, 3, { tMs: WORKDAY, profile: BUSY }), WORKDAY + 60_000).state;
}

function trace(s0: CompressorState, ms: number): { state: CompressorState; events: DeviceEvent[]; pressures: number[]; loaded: number; samples: number } {
  let s = s0;
  const events: DeviceEvent[] = [];
  const pressures: number[] = [];
  let loaded = 0;
  let samples = 0;
  const end = s.tMs + ms;
  while (s.tMs < end) {
    const r = advance(s, s.tMs + 5000);
    s = r.state;
    events.push(...r.events);
    pressures.push(s.pressureBar);
    samples += 1;
    if (s.state === 'loaded') loaded += 1;
  }
  return { state: s, events, pressures, loaded, samples };
}

describe('setpoint_advice', () => {
  it('applies a safe band, acks it with the change, and the machine runs the new band', () => {
    const s = machine();
    const out = decideJudgment(s, j('setpoint_advice', { loadBar: 6.0, unloadBar: 7.0, expectedSavingPct: 3.5 }), s.tMs);
    expect(judgmentAckSchema.parse(out.ack)).toMatchObject({ result: 'applied', reason: 'pressure band set to 6 bar–7 bar (was 6.5 bar–7.5 bar)' });
    expect(out.state.control).toMatchObject({ loadBar: 6.0, unloadBar: 7.0 });
    const later = trace(out.state, HOUR).pressures.slice(200);
    expect(Math.max(...later)).toBeLessThan(7.05);
    expect(Math.min(...later)).toBeGreaterThan(5.95);
    expect(Math.min(...later)).toBeLessThan(6.2); // it really uses the lower band
  });

  it.each([
    [7.0, 8.6, 'unload 8.6 bar exceeds the model maximum 8.0 bar'],
    [7.2, 7.0, 'load 7.2 bar must be below unload 7 bar'],
    [7.0, 7.2, 'band 0.2 bar is narrower than the minimum 0.3 bar'],
    [3.0, 5.0, 'load 3 bar is below the minimum 4.0 bar'],
  ])('rejects load %s / unload %s: "%s"', (loadBar, unloadBar, reason) => {
    const s = machine();
    const out = decideJudgment(s, j('setpoint_advice', { loadBar, unloadBar, expectedSavingPct: 1 }), s.tMs);
    expect(out.ack).toMatchObject({ result: 'rejected', reason });
    expect(out.state.control).toMatchObject({ loadBar: 6.5, unloadBar: 7.5 });
  });

  it('local policy can forbid remote set-point changes', () => {
    const s = machine();
    const out = decideJudgment(s, j('setpoint_advice', { loadBar: 6.0, unloadBar: 7.0, expectedSavingPct: 1 }), s.tMs, { allowRemoteSetpoint: false, allowRemoteStop: true });
    expect(out.ack).toMatchObject({ result: 'rejected', reason: 'remote set-point changes are disabled by local policy' });
  });
});

describe('derate', () => {
  it('maxLoadedDutyPct forces unload so the loaded share over the window stays at the limit', () => {
    const s = machine();
    const free = trace(s, 3 * HOUR);
    expect(free.loaded / free.samples).toBeGreaterThan(0.6);
    const out = decideJudgment(s, j('derate', { maxLoadedDutyPct: 40 }), s.tMs);
    expect(out.ack).toMatchObject({ result: 'applied', reason: 'derate in force: loaded duty ≤ 40 %' });
    expect(out.statusChanged).toBe(true);
    expect(statusFields(out.state)).toEqual({ derate: { maxLoadedDutyPct: 40 } });
    const limited = trace(out.state, 3 * HOUR);
    const share = limited.loaded / limited.samples;
    expect(share).toBeLessThan(0.43);
    expect(share).toBeGreaterThan(0.3);
    // Limited by forced unloads spaced minutes apart, not by chattering every second.
    expect(limited.events.filter((e) => e.type === 'load').length).toBeLessThan(3 * 60);
  });

  it('maxPressureBar caps the unload point and pulls the band down with it', () => {
    const s = machine();
    const out = decideJudgment(s, j('derate', { maxPressureBar: 7.0 }), s.tMs);
    expect(out.ack.reason).toBe('derate in force: unload ≤ 7 bar (band now 6.5 bar–7 bar)');
    const capped = decideJudgment(out.state, j('derate', { maxPressureBar: 6.6 }), s.tMs);
    expect(effectiveBand(capped.state.control)).toEqual({ loadBar: 6.3, unloadBar: 6.6 });
    const later = trace(capped.state, HOUR).pressures.slice(200);
    expect(Math.max(...later)).toBeLessThan(6.65);
  });

  it('a later derate replaces the earlier; one without limits lifts it', () => {
    const s = machine();
    const a = decideJudgment(s, j('derate', { maxLoadedDutyPct: 50, maxPressureBar: 7.2 }), s.tMs);
    const b = decideJudgment(a.state, j('derate', { maxLoadedDutyPct: 70 }), s.tMs);
    expect(statusFields(b.state).derate).toEqual({ maxLoadedDutyPct: 70 });
    const c = decideJudgment(b.state, j('derate', {}), s.tMs);
    expect(c.ack).toMatchObject({ result: 'applied', reason: 'derate lifted: no limits in force' });
    expect(c.statusChanged).toBe(true);
    expect(statusFields(c.state)).toEqual({});
  });

  it.each([
    [{ maxLoadedDutyPct: 5 }, 'maxLoadedDutyPct 5 % is below the minimum 10 %; use shutdown_request to stop the machine'],
    [{ maxPressureBar: 4.1 }, 'maxPressureBar 4.1 bar leaves no valid band (load ≥ 4.0 bar, band ≥ 0.3 bar)'],
  ])('rejects %j', (params, reason) => {
    const s = machine();
    const out = decideJudgment(s, j('derate', params), s.tMs);
    expect(out.ack).toMatchObject({ result: 'rejected', reason });
    expect(out.state.control.derate).toBeNull();
    expect(out.statusChanged).toBe(false);
  });
});

describe('maintenance_due, inspect, shutdown_request', () => {
  it('maintenance_due sets the status field', () => {
    const s = machine();
    const out = decideJudgment(s, j('maintenance_due', { level: 'A', dueInHours: 120, dueInDays: 9 }), s.tMs);
    expect(out).toMatchObject({ statusChanged: true, ack: { result: 'applied' } });
    expect(statusFields(out.state)).toEqual({ maintenanceDue: { level: 'A', dueInHours: 120, dueInDays: 9 } });
  });

  it('inspect is shown, nothing changes', () => {
    const s = machine();
    const out = decideJudgment(s, j('inspect', { check: 'specificPower', value: 7.9, peerMedian: 6.2, percentile: 98, peers: 12, unit: 'kW/(m³/min)' }), s.tMs);
    expect(out.ack).toMatchObject({ result: 'applied', reason: 'shown on display: specificPower 7.9 kW/(m³/min) vs peer median 6.2 kW/(m³/min) (percentile 98 of 12)' });
    expect(out.statusChanged).toBe(false);
  });

  it('shutdown_request stops a running machine (REMOTE_STOP) and it stays stopped until an explicit start', () => {
    const s = machine();
    const out = decideJudgment(s, j('shutdown_request', { code: 'ADT_TREND' }), s.tMs);
    expect(out.ack).toMatchObject({ result: 'applied', reason: 'machine stopping; restarts only on an explicit start' });
    const after = trace(out.state, 2 * HOUR);
    expect(after.events.filter((e) => e.type === 'stop')).toEqual([expect.objectContaining({ code: DEVICE_EVENT_CODES.REMOTE_STOP })]);
    expect(after.events.filter((e) => e.type === 'start')).toEqual([]);
    expect(after.state.state).toBe('stopped');
    expect(Math.min(...after.pressures)).toBeLessThan(4); // the plant drained; still no start
  });

  it('shutdown_request on a machine in standby is announced at once; refused when local policy forbids it', () => {
    const s = machine();
    s.state = 'standby';
    const out = decideJudgment(s, j('shutdown_request', {}), s.tMs);
    expect(out.events).toEqual([expect.objectContaining({ type: 'stop', code: DEVICE_EVENT_CODES.REMOTE_STOP })]);
    const refused = decideJudgment(machine(), j('shutdown_request', {}), s.tMs, { allowRemoteSetpoint: true, allowRemoteStop: false });
    expect(refused.ack).toMatchObject({ result: 'rejected', reason: 'remote stop is disabled by local policy' });
    expect(refused.state.control.run).toBe(true);
  });
});

describe('service_reset', () => {
  const since = (s: CompressorState) => serviceHoursSince(s.service, s.counters.runningHours);

  it.each([
    ['A', ['A'], ['B', 'C']],
    ['B', ['A', 'B'], ['C']],
    ['C', ['A', 'B', 'C'], []],
    ['first', [], ['A', 'B', 'C']],
  ] as const)('level %s restarts %j and leaves %j', (level, reset, kept) => {
    const s = machine();
    s.counters.runningHours = 9_500;
    s.service = { first: 500, A: 8_000, B: 8_000, C: 8_000 };
    const out = decideJudgment(s, j('service_reset', { level, workOrderId: 'WO-1' }), s.tMs);
    expect(out.ack.result).toBe('applied');
    expect(out.ack.reason).toMatch(new RegExp(`^service level ${level} recorded at 9500.0 running hours \\(work order WO-1\\)`));
    expect(out.events).toEqual([expect.objectContaining({ type: 'reset', code: 'SERVICE_RESET' })]);
    for (const l of reset) expect(since(out.state)[l]).toBe(0);
    for (const l of kept) expect(since(out.state)[l]).toBe(1_500);
  });

  it('clears a maintenanceDue it covers (a C service satisfies a due B), not one it does not', () => {
    const s = decideJudgment(machine(), j('maintenance_due', { level: 'B', dueInHours: 10, dueInDays: 1 }), WORKDAY).state;
    const byA = decideJudgment(s, j('service_reset', { level: 'A' }), WORKDAY);
    expect(byA.statusChanged).toBe(false);
    expect(statusFields(byA.state).maintenanceDue?.level).toBe('B');
    const byC = decideJudgment(s, j('service_reset', { level: 'C' }), WORKDAY);
    expect(byC.statusChanged).toBe(true);
    expect(byC.ack.reason).toMatch(/maintenanceDue cleared$/);
    expect(statusFields(byC.state)).toEqual({});
  });
});

describe('expiry, idempotency, invalid payloads', () => {
  it('an expired judgment is ignored and not applied', () => {
    const s = machine();
    const out = decideJudgment(s, j('setpoint_advice', { loadBar: 6.0, unloadBar: 7.0, expectedSavingPct: 1 }, { expiresAt: s.tMs - 1 }), s.tMs);
    expect(out.ack).toMatchObject({ result: 'ignored', reason: 'expired' });
    expect(out.state.control.unloadBar).toBe(7.5);
  });

  it('a repeated id is re-acked with the original ack and not applied again', () => {
    const s = machine();
    const a = j('setpoint_advice', { loadBar: 6.0, unloadBar: 7.0, expectedSavingPct: 1 });
    const first = decideJudgment(s, a, s.tMs);
    const second = decideJudgment(first.state, j('setpoint_advice', { loadBar: 6.2, unloadBar: 7.2, expectedSavingPct: 1 }), s.tMs + 1000);
    const again = decideJudgment(second.state, a, s.tMs + 60_000);
    expect(again.duplicate).toBe(true);
    expect(again.ack).toEqual(first.ack); // same result, reason and ts
    expect(again.state.control).toMatchObject({ loadBar: 6.2, unloadBar: 7.2 });
    // Also after it expired: the stored decision stands.
    expect(decideJudgment(second.state, a, a.expiresAt + HOUR).ack).toEqual(first.ack);
  });

  it.each([
    [{ id: 'x1', kind: 'reboot', params: {} }, 'unknown kind "reboot"'],
    [{ id: 'x2', kind: 'derate', params: 'nope', ts: WORKDAY, severity: 'minor', reason: 'r', expiresAt: WORKDAY + HOUR }, /^invalid judgment: params: /],
  ])('an invalid judgment with an id is rejected with the reason (%j)', (raw, reason) => {
    const r = decideRawJudgment(machine(), raw, WORKDAY);
    expect(r.judgment).toBeNull();
    expect(r.outcome?.ack.result).toBe('rejected');
    expect(r.outcome?.ack.reason).toMatch(reason);
  });

  it('without an id there is nobody to answer', () => {
    expect(decideRawJudgment(machine(), { kind: 'derate' }, WORKDAY).outcome).toBeNull();
    expect(decideRawJudgment(machine(), 'text', WORKDAY).outcome).toBeNull();
  });

  it('remembers a bounded number of judgments, forgetting the oldest', () => {
    let s = machine();
    for (let i = 0; i < MAX_REMEMBERED_JUDGMENTS + 20; i += 1) s = decideJudgment(s, j('inspect', { check: 'c', value: i, peerMedian: 0, percentile: 50, peers: 3 }, { id: `many-${i}` }), WORKDAY).state;
    expect(s.memory.judgments).toHaveLength(MAX_REMEMBERED_JUDGMENTS);
    expect(s.memory.judgments[0]?.ack.judgmentId).toBe('many-20');
  });
});
