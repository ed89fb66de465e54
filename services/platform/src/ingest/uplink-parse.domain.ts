import {
  PROTOCOL_LIMITS,
  checkTimestampWindow,
  deviceEventSchema,
  deviceStatusSchema,
  isUplinkChannel,
  judgmentAckSchema,
  parseDeviceTopic,
  telemetrySchema,
  type DeadLetterReason,
  type DeviceEvent,
  type DeviceStatus,
  type JudgmentAck,
  type Telemetry,
} from '@airfleet/contracts';
import type { z } from 'zod';

/**
 * Parse at the edge, once: raw MQTT bytes become typed
 * messages or dead letters with a stable reason. Nothing after this sees unvalidated data.
 * Pure: the receive time is passed in.
 */
export interface DeadLetterDraft {
  topic: string;
  deviceId: string | null;
  reason: DeadLetterReason;
  detail: string;
  payload: string;
  payloadBytes: number;
}

export type Uplink =
  | { kind: 'telemetry'; deviceId: string; samples: Telemetry[]; deadLetters: DeadLetterDraft[] }
  | { kind: 'status'; deviceId: string; status: DeviceStatus }
  | { kind: 'event'; deviceId: string; event: DeviceEvent }
  | { kind: 'ack'; deviceId: string; ack: JudgmentAck }
  | { kind: 'dead'; deadLetter: DeadLetterDraft };

/** Dead letters keep the raw payload, but never more than this of an oversized one. */
export const MAX_STORED_PAYLOAD_CHARS = 8 * 1024;

// JSON has no NaN/Infinity; firmware that prints floats naively emits them as bare words.
const NON_FINITE_LITERAL = /(?<=[[:,]\s*)-?(?:NaN|Infinity)(?=\s*[,}\]])/g;

function dead(topic: string, deviceId: string | null, reason: DeadLetterReason, detail: string, payload: Buffer | string): Uplink {
  const text = typeof payload === 'string' ? payload : payload.toString('utf8');
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  return { kind: 'dead', deadLetter: { topic, deviceId, reason, detail, payload: text.slice(0, MAX_STORED_PAYLOAD_CHARS), payloadBytes: bytes } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

/** Range violations of known metrics get their own reason: they point at a sensor, not at firmware. */
function classify(error: z.ZodError): DeadLetterReason {
  const rangeOnly = error.issues.every((i) => i.path[0] === 'metrics' && (i.code === 'too_big' || i.code === 'too_small'));
  return rangeOnly ? 'out_of_range' : 'schema_invalid';
}

function parseJson(topic: string, deviceId: string, payload: Buffer): { ok: true; value: unknown } | { ok: false; result: Uplink } {
  const text = payload.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const repaired = text.replace(NON_FINITE_LITERAL, 'null');
    if (repaired !== text) {
      try {
        JSON.parse(repaired);
        return { ok: false, result: dead(topic, deviceId, 'non_finite_number', 'NaN or Infinity is not a JSON number; send finite values or omit the metric', payload) };
      } catch {
        // Not only non-finite literals: fall through to malformed_json.
      }
    }
    return { ok: false, result: dead(topic, deviceId, 'malformed_json', (err as Error).message.slice(0, 200), payload) };
  }
}

function parseTelemetry(topic: string, deviceId: string, value: unknown, receivedAtMs: number, payload: Buffer): Uplink {
  const items = Array.isArray(value) ? value : [value];
  if (Array.isArray(value)) {
    if (value.length === 0) return dead(topic, deviceId, 'schema_invalid', 'empty telemetry array', payload);
    if (value.length > PROTOCOL_LIMITS.maxBatchSamples) {
      return dead(topic, deviceId, 'batch_too_large', `${value.length} samples > ${PROTOCOL_LIMITS.maxBatchSamples} per message`, payload);
    }
  }
  const samples: Telemetry[] = [];
  const deadLetters: DeadLetterDraft[] = [];
  // Each sample of a replay is judged on its own: one bad sample must not cost 499 good ones.
  items.forEach((item, index) => {
    const where = Array.isArray(value) ? `sample ${index}: ` : '';
    const raw = Array.isArray(value) ? JSON.stringify(item) : payload;
    const parsed = telemetrySchema.safeParse(item);
    if (!parsed.success) {
      const d = dead(topic, deviceId, classify(parsed.error), where + describeIssues(parsed.error), raw);
      if (d.kind === 'dead') deadLetters.push(d.deadLetter);
      return;
    }
    const verdict = checkTimestampWindow(parsed.data.ts, receivedAtMs);
    if (verdict !== 'ok') {
      const reason = verdict === 'too_old' ? 'ts_too_old' : 'ts_in_future';
      const detail = `${where}ts ${new Date(parsed.data.ts).toISOString()} is outside the accepted window (7 days past, 5 minutes future) at receive time ${new Date(receivedAtMs).toISOString()}`;
      const d = dead(topic, deviceId, reason, detail, raw);
      if (d.kind === 'dead') deadLetters.push(d.deadLetter);
      return;
    }
    samples.push(parsed.data);
  });
  if (!Array.isArray(value) && deadLetters[0]) return { kind: 'dead', deadLetter: deadLetters[0] };
  return { kind: 'telemetry', deviceId, samples, deadLetters };
}

export function parseUplink(topic: string, payload: Buffer, receivedAtMs: number): Uplink {
  const parsedTopic = parseDeviceTopic(topic);
  if (!parsedTopic || !isUplinkChannel(parsedTopic.channel)) {
    return dead(topic, parsedTopic?.deviceId ?? null, 'topic_invalid', 'not a v1 device uplink topic', payload);
  }
  const { deviceId, channel } = parsedTopic;
  if (payload.length > PROTOCOL_LIMITS.maxPayloadBytes) {
    return dead(topic, deviceId, 'payload_too_large', `${payload.length} bytes > ${PROTOCOL_LIMITS.maxPayloadBytes}`, payload);
  }
  const json = parseJson(topic, deviceId, payload);
  if (!json.ok) return json.result;
  switch (channel) {
    case 'telemetry':
      return parseTelemetry(topic, deviceId, json.value, receivedAtMs, payload);
    case 'status': {
      const r = deviceStatusSchema.safeParse(json.value);
      return r.success ? { kind: 'status', deviceId, status: r.data } : dead(topic, deviceId, 'schema_invalid', describeIssues(r.error), payload);
    }
    case 'events': {
      const r = deviceEventSchema.safeParse(json.value);
      return r.success ? { kind: 'event', deviceId, event: r.data } : dead(topic, deviceId, 'schema_invalid', describeIssues(r.error), payload);
    }
    case 'acks': {
      const r = judgmentAckSchema.safeParse(json.value);
      return r.success ? { kind: 'ack', deviceId, ack: r.data } : dead(topic, deviceId, 'schema_invalid', describeIssues(r.error), payload);
    }
  }
}
