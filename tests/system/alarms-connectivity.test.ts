import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { alarmsResponseSchema, statusTopic, telemetryTopic, type Alarm } from '@airfleet/contracts';
import type { SeededDevice } from '@airfleet/platform';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/** docs/domain.md §7: offline from the last will; a data gap when an online device stops sending. */
describe('connectivity alarms', () => {
  let sys: System;
  let operator: string;
  let dev: SeededDevice;
  let client: MqttClient | undefined;

  const alarmsOf = async (type: string, state = 'all'): Promise<Alarm[]> =>
    alarmsResponseSchema.parse(await (await sys.api(`/api/alarms?deviceId=${dev.id}&type=${type}&state=${state}`, operator)).json()).items;
  const connect = async (): Promise<MqttClient> => {
    const c = await connectDevice(sys.mqttPort, dev.id, dev.token, {
      will: { topic: statusTopic(dev.id), payload: Buffer.from('{"online":false}'), qos: 1, retain: true },
    });
    await publishAsync(c, statusTopic(dev.id), JSON.stringify({ online: true, ts: Date.now(), firmware: 't', model: dev.modelId, telemetryIntervalMs: 1000 }), 1, true);
    return c;
  };
  const sample = (seq: number) => JSON.stringify({ ts: Date.now(), seq, state: 'loaded', metrics: { pressureBar: 7 } });

  beforeAll(async () => {
    sys = await startSystem();
    operator = await sys.login('operator@airfleet.example');
    dev = sys.devices[3]!;
  });
  afterAll(async () => {
    await client?.endAsync();
    await sys?.close();
  });

  it('no telemetry for 3 reporting intervals while online is a data gap, raised once, ended by the next sample', async () => {
    client = await connect();
    await publishAsync(client, telemetryTopic(dev.id), sample(0));
    await waitFor(async () => (await sys.pool.query('SELECT 1 FROM device_latest WHERE device_id = $1', [dev.id])).rowCount === 1, 'first sample');
    // The sweep runs on an injected clock: 2 s later is within 3 intervals of 1 s, 10 s later is not.
    expect((await sys.rules.sweep(Date.now() + 2000)).dataGapsRaised).toBe(0);
    expect((await sys.rules.sweep(Date.now() + 10_000)).dataGapsRaised).toBe(1);
    expect((await sys.rules.sweep(Date.now() + 20_000)).dataGapsRaised).toBe(0);
    const [gap] = await alarmsOf('data_gap', 'active');
    expect(gap).toMatchObject({ severity: 'minor', source: 'connectivity', count: 1, threshold: 3 });

    await publishAsync(client, telemetryTopic(dev.id), sample(1));
    const ended = await waitFor(async () => (await alarmsOf('data_gap', 'cleared'))[0], 'data gap ended by new telemetry');
    expect(ended.id).toBe(gap!.id);
    expect(ended.endedAt).not.toBeNull();
  });

  it('the last will raises device_offline; no data gap while offline; the birth message clears it', async () => {
    const c = client!;
    client = undefined;
    await new Promise<void>((resolve) => {
      c.once('close', () => resolve());
      c.stream.destroy();
    });
    c.end(true);
    const [offline] = await waitFor(async () => {
      const list = await alarmsOf('device_offline', 'active');
      return list.length > 0 ? list : undefined;
    }, 'offline alarm from the last will');
    expect(offline).toMatchObject({ severity: 'major', source: 'connectivity' });
    expect((await sys.rules.sweep(Date.now() + 60_000)).dataGapsRaised).toBe(0);

    client = await connect();
    await waitFor(async () => (await alarmsOf('device_offline', 'cleared')).length === 1, 'offline alarm cleared by the birth');
    expect(await alarmsOf('device_offline', 'active')).toEqual([]);
  });

  it('an orderly shutdown (offline with a timestamp, then DISCONNECT) is not an alarm', async () => {
    await publishAsync(client!, statusTopic(dev.id), JSON.stringify({ online: false, ts: Date.now() }), 1, true);
    await client!.endAsync();
    client = undefined;
    await waitFor(async () => (await sys.pool.query('SELECT online FROM device_status WHERE device_id = $1', [dev.id])).rows[0]?.online === false, 'offline stored');
    expect(await alarmsOf('device_offline', 'active')).toEqual([]);
  });
});
