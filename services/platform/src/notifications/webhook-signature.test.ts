import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signatureHeader, verifySignature } from './webhook-signature.ts';

const secret = 'whsec_test_secret_of_enough_length';
const body = JSON.stringify({ id: '1', kind: 'alarm', subject: 'x' });
const now = Date.UTC(2026, 0, 1, 12);

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<t>.<body>", as documented, and verifies', () => {
    const header = signatureHeader(secret, body, now);
    const t = Math.floor(now / 1000);
    // The documented algorithm, written out independently of computeSignature.
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`);
    expect(verifySignature(secret, header, body, now)).toEqual({ ok: true, timestamp: t });
  });

  it('a tampered body, a wrong secret, a stale timestamp or a garbled header fail', () => {
    const header = signatureHeader(secret, body, now);
    expect(verifySignature(secret, header, body.replace('alarm', 'test'), now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature('another_secret_of_enough_length', header, body, now)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(secret, header, body, now + 301_000)).toEqual({ ok: false, reason: 'stale' });
    expect(verifySignature(secret, 'v1=abc', body, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifySignature(secret, undefined, body, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});
