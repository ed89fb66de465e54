import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures (docs/notifications.md): HMAC-SHA256 with the endpoint's secret over
 * `${timestamp}.${body}`, sent as `X-AirFleet-Signature: t=<unix seconds>,v1=<hex>`. The
 * timestamp is signed too, so a captured delivery cannot be replayed later with a fresh
 * header; receivers reject timestamps outside a tolerance (default 5 minutes).
 */
export const SIGNATURE_HEADER = 'X-AirFleet-Signature';
export const EVENT_HEADER = 'X-AirFleet-Event';
export const DELIVERY_HEADER = 'X-AirFleet-Delivery';

export function computeSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, body: string, nowMs: number): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${computeSignature(secret, t, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/** The receiver's side, as documented: parse, check freshness, compare in constant time. */
export function verifySignature(secret: string, header: string | undefined, body: string, nowMs: number, toleranceSec = 300): VerifyResult {
  if (!header) return { ok: false, reason: 'malformed' };
  const parts = new Map(header.split(',').map((p) => [p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).trim()] as const));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowMs / 1000 - t) > toleranceSec) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(computeSignature(secret, t, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(v1, 'hex')) ? { ok: true, timestamp: t } : { ok: false, reason: 'mismatch' };
}
