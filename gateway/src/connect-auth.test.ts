import { describe, expect, it } from 'vitest';
import { createDeviceTokenHasher } from '@airfleet/runtime';
import { createConnectAuthenticator, type ConnectAttempt } from './connect-auth.ts';
import { createMemoryCredentialStore, type CredentialStore } from './credential-store.ts';
import { createDeviceAuthenticator } from './device-auth.ts';

const PEPPER = 'connect-auth-test-pepper-0123456789abcdef';
const hasher = createDeviceTokenHasher(PEPPER);
const SERVICE = { username: 'airfleet-platform', password: 'service-password-0123456789' };
const clock = { now: () => 0 };

async function setup(store?: CredentialStore, serviceIds: string[] = []) {
  const memory = createMemoryCredentialStore([
    ['AF37-000001', { tokenHash: hasher.hash('tok-1'), enabled: true }],
    ['AF37-000002', { tokenHash: hasher.hash('tok-2'), enabled: false }],
    ['airfleet-platform', { tokenHash: hasher.hash('lookalike'), enabled: true }],
    ['airfleet-ingest', { tokenHash: hasher.hash('lookalike'), enabled: true }],
  ]);
  const devices = createDeviceAuthenticator({ store: store ?? memory, clock, ttlMs: 0, pepper: PEPPER });
  return createConnectAuthenticator({ devices, service: SERVICE, isServiceClientId: (id) => serviceIds.includes(id) });
}

const attempt = (clientId: string, username: string | undefined, password: string | undefined): ConnectAttempt => ({
  clientId,
  username,
  password: password === undefined ? undefined : Buffer.from(password),
});

describe('connect authentication decisions', () => {
  it.each([
    ['correct device credentials', attempt('AF37-000001', 'AF37-000001', 'tok-1'), 0],
    ['wrong token', attempt('AF37-000001', 'AF37-000001', 'tok-x'), 4],
    ['no password', attempt('AF37-000001', 'AF37-000001', undefined), 4],
    ['empty password', attempt('AF37-000001', 'AF37-000001', ''), 4],
    ['no username', attempt('AF37-000001', undefined, 'tok-1'), 4],
    ['client id differs from username', attempt('AF37-000001', 'AF37-000002', 'tok-1'), 4],
    ['unknown device', attempt('AF37-424242', 'AF37-424242', 'tok-1'), 4],
    ['disabled device, right token', attempt('AF37-000002', 'AF37-000002', 'tok-2'), 5],
    ['disabled device, wrong token', attempt('AF37-000002', 'AF37-000002', 'nope'), 4],
    ['id with +', attempt('AF37+1', 'AF37+1', 'tok-1'), 2],
    ['id with #', attempt('AF37#1', 'AF37#1', 'tok-1'), 2],
    ['id with /', attempt('AF37/1', 'AF37/1', 'tok-1'), 2],
    ['id with a space', attempt('AF37 1', 'AF37 1', 'tok-1'), 2],
    ['id with a non-ASCII letter', attempt('AF37-00000é', 'AF37-00000é', 'tok-1'), 2],
    ['empty client id', attempt('', 'AF37-000001', 'tok-1'), 2],
    ['65-character id', attempt('A'.repeat(65), 'A'.repeat(65), 'tok-1'), 2],
    ['service credential', attempt('airfleet-ingest', 'airfleet-platform', SERVICE.password), 0],
    ['service, wrong password', attempt('airfleet-ingest', 'airfleet-platform', 'service-password-012345678X'), 4],
    ['service, password prefix', attempt('airfleet-ingest', 'airfleet-platform', 'service-password'), 4],
    ['service, no password', attempt('airfleet-ingest', 'airfleet-platform', undefined), 4],
    ['service with an invalid client id', attempt('ingest/1', 'airfleet-platform', SERVICE.password), 2],
    // A device registered with the service username's id can only ever try the service password.
    ['device whose id equals the service username', attempt('airfleet-platform', 'airfleet-platform', 'lookalike'), 4],
  ])('%s → CONNACK %i', async (_name, connect, expected) => {
    const decide = await setup();
    const decision = await decide(connect);
    expect(decision.ok ? 0 : decision.returnCode).toBe(expected);
  });

  it('gives the service identity to the service and a device identity to a device', async () => {
    const decide = await setup();
    expect(await decide(attempt('airfleet-platform-pub', 'airfleet-platform', SERVICE.password))).toEqual({
      ok: true,
      identity: { kind: 'service', username: 'airfleet-platform' },
    });
    expect(await decide(attempt('AF37-000001', 'AF37-000001', 'tok-1'))).toEqual({ ok: true, identity: { kind: 'device', deviceId: 'AF37-000001' } });
  });

  it('refuses a device whose id is held by a service session (no session takeover)', async () => {
    const decide = await setup(undefined, ['airfleet-ingest']);
    const decision = await decide(attempt('airfleet-ingest', 'airfleet-ingest', 'lookalike'));
    expect(decision.ok ? 0 : decision.returnCode).toBe(2);
  });

  it('answers 3 (server unavailable) when the credential store fails', async () => {
    const broken: CredentialStore = { lookup: () => Promise.reject(new Error('ECONNREFUSED')), upgradeHash: () => Promise.reject(new Error('ECONNREFUSED')) };
    const decide = await setup(broken);
    const decision = await decide(attempt('AF37-000001', 'AF37-000001', 'tok-1'));
    expect(decision.ok ? 0 : decision.returnCode).toBe(3);
  });

  it('answers a device in backoff with 4 (bad credentials), like a wrong token', async () => {
    const decide = await setup();
    for (let i = 0; i < 5; i += 1) await decide(attempt('AF37-000001', 'AF37-000001', 'tok-x'));
    const decision = await decide(attempt('AF37-000001', 'AF37-000001', 'tok-1'));
    expect(decision).toMatchObject({ ok: false, returnCode: 4, reason: expect.stringContaining('backing off') });
  });
});
