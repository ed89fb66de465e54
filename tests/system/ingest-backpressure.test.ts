import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Registry } from 'prom-client';
import { telemetryTopic } from '@airfleet/contracts';
import type { GatewayNode } from '@airfleet/gateway';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { counterValue, startExtraNode, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The ingest's memory is bounded while the database cannot keep up: at INGEST_MAX_PENDING
 * received-but-uncommitted messages the gateway stops reading connections, and the rest stays
 * on the devices (in their sockets and send queues) until commits make room.
 */
describe('ingest backpressure', () => {
  const MAX_PENDING = 40;
  const DEVICES = 20;
  const MESSAGES = 60;
  let sys: System;
  let node: GatewayNode;
  let registry: Registry;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    sys = await startSystem();
    const extra = await startExtraNode(sys, { ingest: { batchMaxRows: 100, batchWaitMs: 5, maxPending: MAX_PENDING } });
    node = extra.node;
    registry = extra.registry;
    const mqttPort = extra.mqttPort;
    for (const d of sys.devices.slice(0, DEVICES)) clients.push(await connectDevice(mqttPort, d.id, d.token));
  });
  afterAll(async () => {
    for (const c of clients) await c.endAsync().catch(() => undefined);
    await node?.close();
    await sys?.close();
  });

  it('stops reading at the limit while commits are blocked, then stores everything', async () => {
    // A lock that every ingest insert waits for: nothing can commit meanwhile.
    const blocker = await sys.pool.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE telemetry IN SHARE ROW EXCLUSIVE MODE');
    let peak = 0;
    const sample = setInterval(() => (peak = Math.max(peak, node.edge.pipeline.pending)), 5);
    const base = Date.now() - 60 * 60_000;
    // 20 samples a message (~2.5 kB): a socket chunk holds a few dozen messages, not all of them.
    const sends = sys.devices.slice(0, DEVICES).flatMap((d, i) =>
      Array.from({ length: MESSAGES }, (_, m) => {
        const samples = Array.from({ length: 20 }, (_, k) => ({ ts: base + (m * 20 + k) * 1000, seq: m * 20 + k, state: 'loaded', metrics: { pressureBar: 7, elementTempC: 80 } }));
        return publishAsync(clients[i]!, telemetryTopic(d.id), JSON.stringify(samples));
      }),
    );
    try {
      await waitFor(() => node.edge.pipeline.pending >= MAX_PENDING, 'the ingest full');
      // Held at the limit: more is offered than it may take, and it takes no more.
      await waitFor(async () => (await counterValue(registry, 'airfleet_gateway_reads_resumed_total')) === 0 && node.edge.pipeline.pending >= MAX_PENDING, 'held');
      // Every connection has had its chance to be read while the ingest is full.
      await new Promise((r) => setImmediate(r));
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    await Promise.all(sends);
    clearInterval(sample);
    // The limit plus about one read (a few dozen messages): without the gate every connection's
    // first read would be taken, about DEVICES × 25 messages.
    expect(peak).toBeGreaterThanOrEqual(MAX_PENDING);
    expect(peak).toBeLessThan(MAX_PENDING + 3 * 30);
    expect(await counterValue(registry, 'airfleet_gateway_reads_resumed_total')).toBeGreaterThan(0);
    const ids = sys.devices.slice(0, DEVICES).map((d) => d.id);
    const { rows } = await sys.pool.query(`SELECT count(*)::int AS n FROM telemetry WHERE device_id = ANY($1) AND ts >= to_timestamp($2 / 1000.0)`, [ids, base]);
    expect(rows[0].n).toBe(DEVICES * MESSAGES * 20);
  });
});
