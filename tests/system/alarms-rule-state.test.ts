import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type { Registry } from 'prom-client';
import { telemetryTopic } from '@airfleet/contracts';
import type { GatewayNode } from '@airfleet/gateway';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { counterValue, startExtraNode, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

interface Worker {
  node: GatewayNode;
  registry: Registry;
  mqttPort: number;
  client: MqttClient;
}

/**
 * Rule state lives in PostgreSQL, written in the ingest transaction: a restarted gateway node,
 * or a second node the device reaches next, continues exactly where the other left off. Each
 * node here has its own broker, ingest pipeline, rules and registry: nothing is shared between
 * them but the database.
 */
describe('rule state persists across gateway nodes', () => {
  let sys: System;
  let dev: SeededDevice;
  let client: MqttClient;
  const workers: Worker[] = [];
  const t0 = Date.now() - 30 * 60_000;
  let seq = 0;

  /** A second (third, …) gateway node on the same database; the device connects to it. */
  const startWorker = async (): Promise<Worker> => {
    const { node, registry, mqttPort } = await startExtraNode(sys);
    const w = { node, registry, mqttPort, client: await connectDevice(mqttPort, dev.id, dev.token) };
    client = w.client;
    workers.push(w);
    return w;
  };
  const stopWorker = async (w: Worker): Promise<void> => {
    await w.client.endAsync();
    await w.node.close();
  };
  const rows = async (): Promise<number> => (await sys.pool.query('SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1', [dev.id])).rows[0].n;
  const publish = async (tsOffsetMs: number, metrics: Record<string, number>): Promise<void> => {
    await publishAsync(client, telemetryTopic(dev.id), JSON.stringify({ ts: t0 + tsOffsetMs, seq: seq++, state: 'loaded', metrics }));
  };
  const alarmRows = async (type: string) =>
    (await sys.pool.query(`SELECT started_at, count, state FROM alarms WHERE device_id = $1 AND type = $2`, [dev.id, type])).rows as Array<{ started_at: Date; count: number; state: string }>;

  beforeAll(async () => {
    sys = await startSystem();
    dev = sys.devices.find((d) => d.modelId === 'AF37')!;
  });
  afterAll(async () => {
    for (const w of workers) await stopWorker(w).catch(() => undefined);
    await sys?.close();
  });

  it('a node the device reaches next resumes a threshold duration the previous node started', async () => {
    const a = await startWorker();
    // ADT above 110 °C from t0: 40 s of it through worker A …
    for (let i = 0; i < 4; i += 1) await publish(i * 10_000, { elementTempC: 115 });
    await waitFor(async () => (await rows()) === 4, 'worker A stored 4 samples');
    await stopWorker(a);
    expect(await alarmRows('element_temp_warning')).toEqual([]);

    // … and the rest through a fresh worker B. The alarm is due 60 s after t0, which only a
    // worker that knows when the condition began can tell.
    await startWorker();
    for (let i = 4; i < 10; i += 1) await publish(i * 10_000, { elementTempC: 115 });
    await waitFor(async () => (await rows()) === 10, 'worker B stored 6 samples');
    const [alarm] = await waitFor(async () => {
      const r = await alarmRows('element_temp_warning');
      return r.length > 0 ? r : undefined;
    }, 'ADT warning');
    expect(alarm!.started_at.getTime()).toBe(t0 + 60_000);
    expect(alarm!.count).toBe(1);
    const { rows: state } = await sys.pool.query('SELECT newest_ts FROM device_rule_state WHERE device_id = $1', [dev.id]);
    expect(state[0].newest_ts.getTime()).toBe(t0 + 90_000);
  });

  it('a device that alternates between two nodes has every sample evaluated once, in order', async () => {
    const b = workers[1]!;
    const c = await startWorker();
    // Pressure above max + margin (8.3 bar) for 10 s raises at the third sample, 5 s apart. Each
    // PUBACK means committed, so node B's rule state is in the database before node C reads it.
    // The device reconnects to the other node before each sample; its new connection takes over
    // the one on the node before (MQTT 3.1.1 §3.1.4 across nodes).
    for (let i = 0; i < 20; i += 1) {
      const w = i % 2 === 0 ? b : c;
      const previous = client;
      w.client = await connectDevice(w.mqttPort, dev.id, dev.token);
      client = w.client;
      await previous.endAsync(true);
      await publish(100_000 + i * 5000, { pressureBar: 8.6, elementTempC: 100 });
    }
    await waitFor(async () => (await rows()) === 30, 'all 30 samples stored once');
    const pressure = await waitFor(async () => {
      const r = await alarmRows('pressure_high');
      return r.length > 0 ? r : undefined;
    }, 'pressure alarm');
    expect(pressure).toHaveLength(1);
    expect(pressure[0]!.started_at.getTime()).toBe(t0 + 110_000);
    expect(pressure[0]!.count).toBe(1);
    // ADT fell to 100 °C (< 105 °C): the earlier warning was cleared exactly once.
    expect(await alarmRows('element_temp_warning')).toMatchObject([{ state: 'cleared', count: 1 }]);
    const inserted = (await counterValue(workers[1]!.registry, 'airfleet_ingest_rows_inserted_total')) + (await counterValue(workers[2]!.registry, 'airfleet_ingest_rows_inserted_total'));
    expect(inserted).toBe(26);
  });

  it('an out-of-order sample is stored and counted but raises nothing', async () => {
    await publish(-20 * 60_000, { elementTempC: 125, vibrationMmS: 9 });
    await waitFor(async () => (await rows()) === 31, 'late sample stored');
    const late = (await counterValue(workers[1]!.registry, 'airfleet_rules_late_samples_total')) + (await counterValue(workers[2]!.registry, 'airfleet_rules_late_samples_total'));
    expect(late).toBe(1);
    expect(await alarmRows('element_temp_shutdown')).toEqual([]);
    expect(await alarmRows('vibration_trip')).toEqual([]);
    const { rows: judgments } = await sys.pool.query(`SELECT kind FROM judgments WHERE device_id = $1 AND kind = 'shutdown_request'`, [dev.id]);
    expect(judgments).toEqual([]);
  });
});
