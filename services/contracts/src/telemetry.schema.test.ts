import { describe, expect, it } from 'vitest';
import { METRICS, METRIC_KEYS } from './metrics.ts';
import { splitMetrics, telemetryMessageSchema, telemetrySchema } from './telemetry.schema.ts';
import { deviceEventSchema, deviceStatusSchema, judgmentAckSchema } from './device-messages.schema.ts';
import { judgmentSchema } from './judgment.schema.ts';
import { checkTimestampWindow, PROTOCOL_LIMITS } from './protocol-limits.ts';

const TS = 1_763_800_000_000;
const base = { ts: TS, seq: 42, state: 'loaded', metrics: { pressureBar: 7.1, elementTempC: 84.2 } };

describe('telemetrySchema', () => {
  const valid: Array<[string, unknown]> = [
    ['the documented example', { ts: TS, seq: 42, state: 'loaded', metrics: { pressureBar: 7.1, elementTempC: 84.2, ambientTempC: 24.5, motorCurrentA: 68, powerKw: 39.6, flowM3Min: 6.3, separatorDpBar: 0.18, airFilterDpMbar: 18, vibrationMmS: 1.9, runningHours: 12345.6, loadedHours: 9876.5, motorStarts: 2345, loadCycles: 45678 } }],
    ['an empty metrics object', { ...base, metrics: {} }],
    ['seq 0', { ...base, seq: 0 }],
    ['every state', { ...base, state: 'tripped' }],
    ['an unknown numeric metric', { ...base, metrics: { dewPointC: 3.1 } }],
    ['range boundaries', { ...base, metrics: Object.fromEntries(METRIC_KEYS.map((k) => [k, METRICS[k].max])) }],
  ];
  it.each(valid)('accepts %s', (_name, payload) => {
    expect(telemetrySchema.safeParse(payload).success).toBe(true);
  });

  const invalid: Array<[string, unknown]> = [
    ['missing ts', { seq: 1, state: 'loaded', metrics: {} }],
    ['ts in seconds', { ...base, ts: TS / 1000 }],
    ['fractional ts', { ...base, ts: TS + 0.5 }],
    ['negative seq', { ...base, seq: -1 }],
    ['fractional seq', { ...base, seq: 1.5 }],
    ['unknown state', { ...base, state: 'running' }],
    ['string metric', { ...base, metrics: { pressureBar: '7.1' } }],
    ['null metric', { ...base, metrics: { pressureBar: null } }],
    ['boolean extra', { ...base, metrics: { dryerOk: true } }],
    ['object extra', { ...base, metrics: { nested: { a: 1 } } }],
    ['pressure above range', { ...base, metrics: { pressureBar: 26 } }],
    ['negative power', { ...base, metrics: { powerKw: -0.1 } }],
    ['fractional motor starts', { ...base, metrics: { motorStarts: 10.5 } }],
    ['Infinity', { ...base, metrics: { powerKw: Number.POSITIVE_INFINITY } }],
    ['NaN', { ...base, metrics: { powerKw: Number.NaN } }],
    ['bad extra name', { ...base, metrics: { 'dew point': 3 } }],
    ['too many extras', { ...base, metrics: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`x${i}`, i])) }],
    ['unknown top-level field', { ...base, firmware: '1.0' }],
    ['an array as metrics', { ...base, metrics: [1, 2] }],
  ];
  it.each(invalid)('rejects %s', (_name, payload) => {
    expect(telemetrySchema.safeParse(payload).success).toBe(false);
  });

  it('accepts replay arrays of 1..500 and rejects empty or longer ones', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ ...base, ts: TS + i, seq: i }));
    expect(telemetryMessageSchema.safeParse(many(1)).success).toBe(true);
    expect(telemetryMessageSchema.safeParse(many(PROTOCOL_LIMITS.maxBatchSamples)).success).toBe(true);
    expect(telemetryMessageSchema.safeParse(many(0)).success).toBe(false);
    expect(telemetryMessageSchema.safeParse(many(PROTOCOL_LIMITS.maxBatchSamples + 1)).success).toBe(false);
  });

  it('splits known metrics from extras', () => {
    expect(splitMetrics({ pressureBar: 7, dewPointC: 3 })).toEqual({ known: { pressureBar: 7 }, extras: { dewPointC: 3 } });
  });
});

describe('time window', () => {
  const now = TS;
  it.each([
    [now, 'ok'],
    [now - PROTOCOL_LIMITS.maxPastMs, 'ok'],
    [now - PROTOCOL_LIMITS.maxPastMs - 1, 'too_old'],
    [now + PROTOCOL_LIMITS.maxFutureMs, 'ok'],
    [now + PROTOCOL_LIMITS.maxFutureMs + 1, 'in_future'],
  ])('ts %i → %s', (ts, verdict) => expect(checkTimestampWindow(ts, now)).toBe(verdict));
});

describe('status, events, acks, judgments', () => {
  it.each<[string, { safeParse(v: unknown): { success: boolean } }, unknown, boolean]>([
    ['birth', deviceStatusSchema, { online: true, ts: TS, firmware: '2.1.0', model: 'AF37', telemetryIntervalMs: 5000 }, true],
    ['last will', deviceStatusSchema, { online: false }, true],
    ['status without online', deviceStatusSchema, { ts: TS }, false],
    ['trip event', deviceEventSchema, { ts: TS, type: 'trip', code: 'ADT_HIGH_TRIP', message: 'element 120.4 °C' }, true],
    ['event with a bad code', deviceEventSchema, { ts: TS, type: 'trip', code: 'has space' }, false],
    ['unknown event type', deviceEventSchema, { ts: TS, type: 'explode' }, false],
    ['applied ack', judgmentAckSchema, { judgmentId: 'j-1', ts: TS, result: 'applied' }, true],
    ['rejected ack with reason', judgmentAckSchema, { judgmentId: 'j-1', ts: TS, result: 'rejected', reason: 'above max pressure' }, true],
    ['ack with an unknown result', judgmentAckSchema, { judgmentId: 'j-1', ts: TS, result: 'done' }, false],
    ['setpoint advice', judgmentSchema, { id: 'j-2', ts: TS, kind: 'setpoint_advice', severity: 'info', reason: 'lower band', params: { loadBar: 6.2, unloadBar: 7.0, expectedSavingPct: 3.5 }, expiresAt: TS + 86_400_000 }, true],
    ['setpoint advice without params', judgmentSchema, { id: 'j-2', ts: TS, kind: 'setpoint_advice', severity: 'info', reason: 'x', params: {}, expiresAt: TS }, false],
    ['unknown judgment kind', judgmentSchema, { id: 'j-3', ts: TS, kind: 'reboot', severity: 'info', reason: 'x', params: {}, expiresAt: TS }, false],
  ])('%s', (_name, schema, payload, ok) => {
    expect(schema.safeParse(payload).success).toBe(ok);
  });
});
