import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Registry } from 'prom-client';
import { statusTopic } from '@airfleet/contracts';
import type { GatewayNode } from '@airfleet/gateway';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { counterValue, startExtraNode, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

interface Node {
  node: GatewayNode;
  registry: Registry;
  mqttPort: number;
}

/**
 * MQTT 3.1.1 §3.1.4 across gateway nodes on one database: a device's second connection takes
 * over the first wherever the first one is. Node A is the harness' node, node B a second one on
 * the same pool; nothing is shared between them but PostgreSQL.
 */
describe('a device connecting on another node takes over its connection', () => {
  let sys: System;
  let a: Node;
  let b: Node;
  const clients: MqttClient[] = [];

  const startNode = (): Promise<Node> => startExtraNode(sys);
  /** A device connection that stays closed once closed (no reconnect), with its last will. */
  const connect = async (on: Node, dev: SeededDevice): Promise<MqttClient & { closedAt?: number }> => {
    const c: MqttClient & { closedAt?: number } = await connectDevice(on.mqttPort, dev.id, dev.token, {
      will: { topic: statusTopic(dev.id), payload: Buffer.from('{"online":false}'), qos: 1, retain: false },
    });
    c.on('close', () => (c.closedAt ??= Date.now()));
    clients.push(c);
    return c;
  };
  const birth = (c: MqttClient, dev: SeededDevice): Promise<void> =>
    publishAsync(c, statusTopic(dev.id), JSON.stringify({ online: true, ts: Date.now(), firmware: 'test', model: dev.modelId, telemetryIntervalMs: 10_000 }));
  const online = async (dev: SeededDevice): Promise<boolean | undefined> =>
    (await sys.pool.query<{ online: boolean }>('SELECT online FROM device_status WHERE device_id = $1', [dev.id])).rows[0]?.online;

  beforeAll(async () => {
    sys = await startSystem();
    a = { node: sys.node, registry: sys.registry[1]!, mqttPort: sys.mqttPort };
    b = await startNode();
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync(true).catch(() => undefined);
    await b?.node.close();
    await sys?.close();
  });

  it('connect on node A, then on node B: A closes its connection, B keeps the new one', async () => {
    expect(a.node.nodeId).not.toBe(b.node.nodeId);
    const dev = sys.devices[0]!;
    const first = await connect(a, dev);
    await birth(first, dev);
    await waitFor(async () => (await online(dev)) === true, 'birth stored');

    const second = await connect(b, dev);
    await waitFor(() => first.closedAt !== undefined, 'node A closed the older connection', 5_000);
    expect(a.node.gateway.isConnectedHere(dev.id)).toBe(false);
    expect(b.node.gateway.isConnectedHere(dev.id)).toBe(true);
    expect(second.connected).toBe(true);
    expect(await counterValue(a.registry, 'airfleet_gateway_takeovers_total')).toBe(1);
    expect(await counterValue(b.registry, 'airfleet_gateway_takeovers_total')).toBe(0);

    // The older connection's last will is not published: the device is online on node B (a will
    // committed after B's birth message would mark it offline and raise device_offline).
    await birth(second, dev);
    await waitFor(() => a.node.edge.pipeline.pending === 0, 'node A has nothing left to commit');
    expect(await online(dev)).toBe(true);
    const { rows } = await sys.pool.query(`SELECT count(*)::int AS n FROM alarms WHERE device_id = $1 AND type = 'device_offline'`, [dev.id]);
    expect(rows[0].n).toBe(0);
    const { rows: statuses } = await sys.pool.query(`SELECT count(*)::int AS n FROM dead_letters WHERE device_id = $1`, [dev.id]);
    expect(statuses[0].n).toBe(0);
    // The new connection works: an uplink on B is acknowledged (committed).
    await birth(second, dev);
    expect(second.connected).toBe(true);
  });

  it('and back: connect on node A again, B closes its connection', async () => {
    const dev = sys.devices[0]!;
    const onB = clients[clients.length - 1]!;
    const again = await connect(a, dev);
    await waitFor(() => (onB as { closedAt?: number }).closedAt !== undefined, 'node B closed the older connection', 5_000);
    expect(b.node.gateway.isConnectedHere(dev.id)).toBe(false);
    expect(a.node.gateway.isConnectedHere(dev.id)).toBe(true);
    expect(again.connected).toBe(true);
    expect(await counterValue(b.registry, 'airfleet_gateway_takeovers_total')).toBe(1);
  });

  it('connections of other devices are left alone, and a node ignores its own announcements', async () => {
    const [d1, d2] = [sys.devices[1]!, sys.devices[2]!];
    const c1 = await connect(a, d1);
    const c2 = await connect(b, d2);
    // A third device's takeover round trip: once B closed it, every announcement before it was heard.
    const d3 = sys.devices[3]!;
    const c3 = await connect(a, d3);
    await connect(b, d3);
    await waitFor(() => (c3 as { closedAt?: number }).closedAt !== undefined, 'node A closed d3', 5_000);
    expect(c1.connected).toBe(true);
    expect(c2.connected).toBe(true);
    expect(a.node.gateway.isConnectedHere(d1.id)).toBe(true);
    expect(b.node.gateway.isConnectedHere(d2.id)).toBe(true);
  });
});
