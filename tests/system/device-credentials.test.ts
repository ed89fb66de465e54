import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret, isDeviceTokenHmac } from '@airfleet/runtime';
import { connectDevice, connectRefusal } from '../support/mqtt-clients.ts';
import { startSystem, type System } from '../support/system-harness.ts';

/**
 * Device tokens end to end: the platform issues and rotates them as HMACs under its pepper, the
 * gateway verifies them under its own (the same value), and rows from before HMAC hashing are
 * upgraded on a device's first successful connect.
 */
describe('device credentials between the platform API and the gateway', () => {
  let sys: System;
  let admin: string;

  const tokenHashOf = async (deviceId: string): Promise<string> =>
    (await sys.pool.query<{ token_hash: string }>('SELECT token_hash FROM device_credentials WHERE device_id = $1', [deviceId])).rows[0]!.token_hash;

  beforeAll(async () => {
    sys = await startSystem();
    admin = await sys.login('admin@airfleet.example');
  });
  afterAll(async () => sys?.close());

  it('a device provisioned through the API connects with its token; a rotated token works at once', async () => {
    const created = await sys.api('/api/devices', admin, { method: 'POST', body: JSON.stringify({ id: 'AF37-CRED-01', modelId: 'AF37', siteId: 'northwind-leeds' }) });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    expect(isDeviceTokenHmac(await tokenHashOf('AF37-CRED-01'))).toBe(true);
    await (await connectDevice(sys.mqttPort, 'AF37-CRED-01', token)).endAsync();

    const rotated = await sys.api('/api/devices/AF37-CRED-01/token', admin, { method: 'POST' });
    expect(rotated.status).toBe(200);
    const { token: next } = (await rotated.json()) as { token: string };
    expect(isDeviceTokenHmac(await tokenHashOf('AF37-CRED-01'))).toBe(true);
    await (await connectDevice(sys.mqttPort, 'AF37-CRED-01', next)).endAsync();
    expect(await connectRefusal(sys.mqttPort, { clientId: 'AF37-CRED-01', username: 'AF37-CRED-01', password: `${next}x` })).toBe(4);
  });

  it('a device whose row still holds a scrypt hash connects, and its row becomes HMAC', async () => {
    const device = sys.devices[2]!;
    await sys.pool.query('UPDATE device_credentials SET token_hash = $2 WHERE device_id = $1', [device.id, await hashSecret(device.token, { N: 1024, r: 8, p: 1 })]);
    expect(await tokenHashOf(device.id)).toMatch(/^scrypt\$/);
    await (await connectDevice(sys.mqttPort, device.id, device.token)).endAsync();
    expect(isDeviceTokenHmac(await tokenHashOf(device.id))).toBe(true);
    await (await connectDevice(sys.mqttPort, device.id, device.token)).endAsync();
  });
});
