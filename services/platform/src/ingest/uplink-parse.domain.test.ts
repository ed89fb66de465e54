import { describe, expect, it } from 'vitest';
import { parseUplink } from './uplink-parse.domain.ts';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const T = 'v1/devices/AF37-000123/telemetry';
const sample = (over: Record<string, unknown> = {}) => ({ ts: NOW - 1000, seq: 1, state: 'loaded', metrics: { pressureBar: 7.1, elementTempC: 84 }, ...over });
const buf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('parseUplink', () => {
  const deadCases: Array<[string, string, Buffer, string]> = [
    ['malformed JSON', T, buf('{"ts": 1, '), 'malformed_json'],
    ['NaN literal', T, buf(`{"ts":${NOW},"seq":1,"state":"loaded","metrics":{"pressureBar":NaN}}`), 'non_finite_number'],
    ['-Infinity literal', T, buf(`{"ts":${NOW},"seq":1,"state":"loaded","metrics":{"powerKw":-Infinity}}`), 'non_finite_number'],
    ['out of range', T, buf(sample({ metrics: { elementTempC: 900 } })), 'out_of_range'],
    ['negative current', T, buf(sample({ metrics: { motorCurrentA: -3 } })), 'out_of_range'],
    ['string metric', T, buf(sample({ metrics: { pressureBar: '7.1' } })), 'schema_invalid'],
    ['unknown state', T, buf(sample({ state: 'running' })), 'schema_invalid'],
    ['seconds instead of ms', T, buf(sample({ ts: Math.floor(NOW / 1000) })), 'schema_invalid'],
    ['unknown top-level field', T, buf(sample({ extra: 1 })), 'schema_invalid'],
    ['oversized', T, Buffer.alloc(70 * 1024, 0x20), 'payload_too_large'],
    ['too many samples', T, buf(Array.from({ length: 501 }, (_, i) => sample({ ts: NOW - 1000 - i, seq: i }))), 'batch_too_large'],
    ['downlink topic', 'v1/devices/AF37-000123/judgments', buf({}), 'topic_invalid'],
    ['bad status', 'v1/devices/AF37-000123/status', buf({ online: 'yes' }), 'schema_invalid'],
    ['bad event', 'v1/devices/AF37-000123/events', buf({ ts: NOW, type: 'explode' }), 'schema_invalid'],
    ['bad ack', 'v1/devices/AF37-000123/acks', buf({ judgmentId: 'j1', ts: NOW, result: 'maybe' }), 'schema_invalid'],
  ];
  it.each(deadCases)('%s → dead letter %s', (_name, topic, payload, reason) => {
    const up = parseUplink(topic, payload, NOW);
    expect(up.kind).toBe('dead');
    if (up.kind === 'dead') {
      expect(up.deadLetter.reason).toBe(reason);
      expect(up.deadLetter.payloadBytes).toBe(payload.length);
      expect(up.deadLetter.detail.length).toBeGreaterThan(0);
    }
  });

  it('keeps unknown numeric metrics as extras', () => {
    const up = parseUplink(T, buf(sample({ metrics: { pressureBar: 7, dewPointC: 3.2 } })), NOW);
    expect(up.kind).toBe('telemetry');
    if (up.kind === 'telemetry') expect(up.samples[0]!.metrics).toMatchObject({ dewPointC: 3.2 });
  });

  it('dead-letters samples outside the time window with the reason, keeping the rest of a replay', () => {
    const old = sample({ ts: NOW - 8 * 86_400_000, seq: 1 });
    const future = sample({ ts: NOW + 10 * 60_000, seq: 2 });
    const good = sample({ ts: NOW - 6 * 86_400_000, seq: 3 });
    const bad = sample({ seq: 4, metrics: { vibrationMmS: 1e6 } });
    const up = parseUplink(T, buf([old, future, good, bad]), NOW);
    expect(up.kind).toBe('telemetry');
    if (up.kind !== 'telemetry') return;
    expect(up.samples.map((s) => s.seq)).toEqual([3]);
    expect(up.deadLetters.map((d) => d.reason)).toEqual(['ts_too_old', 'ts_in_future', 'out_of_range']);
    expect(up.deadLetters[0]!.detail).toMatch(/^sample 0: /);
    expect(JSON.parse(up.deadLetters[0]!.payload)).toEqual(old);
  });

  it('accepts status, the last will, events and acks', () => {
    expect(parseUplink('v1/devices/D1/status', buf({ online: true, ts: NOW, firmware: '1.2.0', model: 'AF37' }), NOW).kind).toBe('status');
    expect(parseUplink('v1/devices/D1/status', buf({ online: false }), NOW).kind).toBe('status');
    expect(parseUplink('v1/devices/D1/events', buf({ ts: NOW, type: 'trip', code: 'ADT_HIGH_TRIP', message: 'ADT 120.3 °C' }), NOW).kind).toBe('event');
    expect(parseUplink('v1/devices/D1/acks', buf({ judgmentId: 'j1', ts: NOW, result: 'applied' }), NOW).kind).toBe('ack');
  });

  it('truncates the stored payload of an oversized message but records its full size', () => {
    const up = parseUplink(T, Buffer.alloc(200 * 1024, 0x41), NOW);
    expect(up.kind === 'dead' && up.deadLetter.payload.length).toBe(8 * 1024);
    expect(up.kind === 'dead' && up.deadLetter.payloadBytes).toBe(200 * 1024);
  });
});
