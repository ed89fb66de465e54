import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { connectDevice, connectRefusal } from '../support/mqtt-clients.ts';
import { counterValue, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * A rotated token or a disabled device stops at once, not at its next connect: database
 * triggers notify every gateway node, which forgets the cached credential check and closes the
 * connection. Whatever path changed the row (API or an operator's SQL) does it.
 */
describe('revoked devices are disconnected within seconds', () => {
  let sys: System;
  const clients: MqttClient[] = [];
  const closedOf = (c: MqttClient): Promise<void> => new Promise((resolve) => c.once('close', () => resolve()));

  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await sys?.close();
  });

  it('token rotated through the API: the connection closes and the old token is refused', async () => {
    const d = sys.devices[0]!;
    const c = await connectDevice(sys.mqttPort, d.id, d.token, { reconnectPeriod: 0 });
    clients.push(c);
    const closed = closedOf(c);
    const admin = await sys.login('admin@airfleet.example');
    const res = await sys.api(`/api/devices/${d.id}/token`, admin, { method: 'POST' });
    expect(res.status).toBe(200);
    await closed;
    // The cached "ok" for the old token is gone with it: CONNACK 4 (bad credentials).
    expect(await connectRefusal(sys.mqttPort, { clientId: d.id, username: d.id, password: d.token, reconnectPeriod: 0 })).toBe(4);
    const { token } = (await res.json()) as { token: string };
    clients.push(await connectDevice(sys.mqttPort, d.id, token, { reconnectPeriod: 0 }));
    expect(await counterValue(sys.registry, 'airfleet_gateway_revoked_connections_total')).toBe(1);
  });

  it('device disabled by SQL: the connection closes and connecting is refused as disabled', async () => {
    const d = sys.devices[1]!;
    const c = await connectDevice(sys.mqttPort, d.id, d.token, { reconnectPeriod: 0 });
    clients.push(c);
    const closed = closedOf(c);
    await sys.pool.query('UPDATE devices SET enabled = false WHERE id = $1', [d.id]);
    await closed;
    expect(await connectRefusal(sys.mqttPort, { clientId: d.id, username: d.id, password: d.token, reconnectPeriod: 0 })).toBe(5);
    await waitFor(async () => (await counterValue(sys.registry, 'airfleet_gateway_revoked_connections_total')) === 2, 'counted');
  });
});
