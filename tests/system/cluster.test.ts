import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgmentSchema, judgmentsTopic, storedJudgmentSchema, telemetryTopic } from '@airfleet/contracts';
import { DEMO_PASSWORD } from '@airfleet/platform';
import { connectFleet, formatFaultTable, haproxyVersion, runFault, startFaultRig, type Fault, type FaultRig, type Fleet } from '../support/fault-rig.ts';
import { expectStoredExactlyOnce } from '../support/fault-expectations.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The scaled-out deployment, as docker-compose.yml runs it: HAProxy in front (TCP round robin to
 * two gateway processes, health-checked on /healthz; HTTP to two platform processes), one
 * PostgreSQL. Devices connect through HAProxy and publish at QoS 1; one gateway is SIGKILLed.
 * Its devices must come back through HAProxy on the other gateway, every acknowledged message
 * must be stored exactly once, a judgment made afterwards through the API must reach its device
 * once, and an alarm provoked before and after the kill must be one alarm.
 */
const HAPROXY = haproxyVersion();
if (!HAPROXY) console.log('tests/system/cluster.test.ts skipped: HAProxy is not installed (Debian package "haproxy")');

const FLEET = 8;
const RATE_PER_S = 200;
const LOAD_MS = 4_000;

/** One more device, outside the load: high pressure samples 5 s apart (event time) raise pressure_high at the third. */
class AlarmDevice {
  readonly client: MqttClient;
  readonly id: string;
  readonly judgments = new Map<string, number>();
  subscribed = false;
  private next = 0;
  readonly t0 = Date.now() - 20 * 60_000;
  /** Event time of sample `seq`. */
  ts(seq: number): number {
    return this.t0 + seq * 5_000;
  }
  constructor(url: string, id: string, token: string) {
    this.id = id;
    this.client = mqtt.connect(url, { clientId: id, username: id, password: token, protocolVersion: 4, clean: true, reconnectPeriod: 200, reconnectOnConnackError: true, connectTimeout: 5_000, resubscribe: false });
    this.client.on('error', () => undefined);
    this.client.on('connect', () => this.client.subscribe(judgmentsTopic(id), { qos: 1 }, (err) => (this.subscribed = !err && this.client.connected)));
    this.client.on('close', () => (this.subscribed = false));
    this.client.on('message', (_t, payload) => {
      const j = judgmentSchema.parse(JSON.parse(payload.toString()));
      this.judgments.set(j.id, (this.judgments.get(j.id) ?? 0) + 1);
    });
  }
  /** `n` samples over the limit; resolves once each is acknowledged (stored). */
  publishHigh(n: number): Promise<void[]> {
    return Promise.all(
      Array.from({ length: n }, () => {
        const seq = this.next++;
        const payload = JSON.stringify({ ts: this.ts(seq), seq, state: 'loaded', metrics: { pressureBar: 8.6, elementTempC: 90, powerKw: 39.6 } });
        return new Promise<void>((resolve, reject) => this.client.publish(telemetryTopic(this.id), payload, { qos: 1 }, (err) => (err ? reject(err) : resolve())));
      }),
    );
  }
}

describe.skipIf(!HAPROXY)('cluster: HAProxy in front of two gateways and two platforms on one database', () => {
  let rig: FaultRig;
  let fleet: Fleet;
  let alarmDevice: AlarmDevice;
  let cookie: string;

  const api = (p: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${rig.platformUrl}${p}`, { ...init, headers: { cookie, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers } });
  const alarmRows = async (deviceId: string) =>
    (
      await rig.pool.query<{ type: string; state: string; count: number; started_at: Date; last_seen_at: Date }>(
        `SELECT type, state, count, started_at, last_seen_at FROM alarms WHERE device_id = $1 ORDER BY id`,
        [deviceId],
      )
    ).rows;
  const everyoneConnected = (): boolean => fleet.devices.every((d) => d.client.connected && d.subscribed) && alarmDevice.client.connected && alarmDevice.subscribed;

  beforeAll(async () => {
    console.log(`cluster test with ${HAPROXY}`);
    rig = await startFaultRig({ devices: FLEET + 1, cluster: { gateways: 2, platforms: 2 }, say: (l) => console.log(l) });
    fleet = await connectFleet(rig, { devices: rig.devices.slice(0, FLEET), judgments: true });
    const a = rig.devices[FLEET]!;
    alarmDevice = new AlarmDevice(rig.mqttUrl, a.id, a.token);
    await waitFor(everyoneConnected, 'every device connected through HAProxy and subscribed', 30_000);
    const login = await fetch(`${rig.platformUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'service@airfleet.example', password: DEMO_PASSWORD }) });
    expect(login.status).toBe(200);
    cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  }, 180_000);

  afterAll(async () => {
    await alarmDevice?.client.endAsync(true).catch(() => undefined);
    await fleet?.close();
    await rig?.close();
  });

  it('SIGKILL one gateway: devices move to the other, nothing acknowledged is lost or doubled, judgments and alarms once', { timeout: 180_000 }, async () => {
    // Round robin spread the devices over both gateways.
    const connected = async (i: number): Promise<number> => rig.gatewayMetric('airfleet_gateway_connected_clients', i);
    expect((await connected(0)) + (await connected(1))).toBe(FLEET + 1);
    expect(await connected(0)).toBeGreaterThan(0);
    expect(await connected(1)).toBeGreaterThan(0);
    // The gateway to kill is the one holding the alarm device.
    const victim = await rig.gatewayOf(alarmDevice.id);
    expect(victim).toBeGreaterThanOrEqual(0);
    const survivor = 1 - victim;
    const created: Array<{ deviceId: string; judgmentId: string }> = [];

    const fault: Fault = {
      name: 'SIGKILL one gateway behind HAProxy',
      async inject({ rig: r, fleet: f, say }) {
        // Over the limit for 15 s of event time: pressure_high is raised before the kill.
        await alarmDevice.publishHigh(4);
        await waitFor(async () => (await alarmRows(alarmDevice.id)).some((a) => a.type === 'pressure_high'), 'pressure_high raised before the kill');

        const mark = f.mark();
        say(`  ${f.outstanding()} messages unacknowledged at the SIGKILL of gateway ${victim + 1}`);
        await r.signal(r.gateways[victim]!, 'SIGKILL');
        await waitFor(() => f.devices.some((d, i) => d.closes > mark.closes[i]!), 'the killed gateway’s devices disconnected');
        await waitFor(async () => (await r.balancerStatus())[`gw${victim + 1}`] === 'DOWN', 'HAProxy marking the killed gateway DOWN');
        // Everyone is back, through HAProxy, on the surviving gateway.
        await waitFor(everyoneConnected, 'every device reconnected and subscribed', 30_000);
        await waitFor(async () => (await connected(survivor)) === FLEET + 1, `all ${FLEET + 1} devices on gateway ${survivor + 1}`, 15_000);

        // The same condition goes on after the kill, evaluated by the other gateway: 60 s more of
        // event time, so the active alarm is touched (at most once a minute) from there.
        await alarmDevice.publishHigh(12);
        // Judgments made now, through either platform (HAProxy alternates), reach their devices
        // from the surviving gateway.
        for (const deviceId of [alarmDevice.id, ...f.devices.map((d) => d.id)]) {
          const res = await api(`/api/devices/${deviceId}/judgments`, {
            method: 'POST',
            body: JSON.stringify({ kind: 'maintenance_due', params: { level: 'A', dueInHours: 50, dueInDays: 4 }, reason: 'service A soon' }),
          });
          if (res.status !== 201) throw new Error(`creating a judgment for ${deviceId}: ${res.status} ${await res.text()}`);
          created.push({ deviceId, judgmentId: storedJudgmentSchema.parse(await res.json()).judgment.id });
        }
        const received = (c: { deviceId: string; judgmentId: string }): number =>
          (c.deviceId === alarmDevice.id ? alarmDevice.judgments : f.devices.find((d) => d.id === c.deviceId)!.judgments).get(c.judgmentId) ?? 0;
        await waitFor(() => created.every((c) => received(c) >= 1), () => `every judgment on its device (missing: ${created.filter((c) => received(c) === 0).map((c) => c.deviceId).join(', ')})`, 15_000);
      },
    };

    let result;
    try {
      result = await runFault(rig, fleet, fault, { ratePerSec: RATE_PER_S, durationMs: LOAD_MS, drainTimeoutMs: 30_000, say: (l) => console.log(l) });
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${await rig.tails()}`, { cause: err });
    }
    console.log(`cluster (${FLEET} devices, ${RATE_PER_S} msg/s):\n${formatFaultTable([result])}`);
    await expectStoredExactlyOnce(rig, fault.name, result, 'cluster');

    // One alarm: raised before the kill at the third sample, and still the one the other gateway
    // saw the condition go on in after it (touched by a sample published after the kill).
    const alarms = (await alarmRows(alarmDevice.id)).filter((a) => a.type === 'pressure_high');
    expect(alarms).toEqual([expect.objectContaining({ state: 'active', count: 1, started_at: new Date(alarmDevice.ts(2)) })]);
    expect(alarms[0]!.last_seen_at.getTime()).toBeGreaterThan(alarmDevice.ts(3));
    const { rows: dupAlarms } = await rig.pool.query(`SELECT device_id, type, count(*)::int AS n FROM alarms GROUP BY device_id, type HAVING count(*) > 1`);
    expect(dupAlarms).toEqual([]);

    // Each judgment made after the kill arrived once, and was sent once.
    const ids = created.map((c) => c.judgmentId);
    const { rows: sends } = await rig.pool.query<{ id: string; device_id: string; send_count: number; status: string }>(
      `SELECT id, device_id, send_count, status FROM judgments WHERE id = ANY($1)`,
      [ids],
    );
    expect(sends.map((r) => ({ id: r.id, sendCount: r.send_count, status: r.status })).sort((x, y) => x.id.localeCompare(y.id))).toEqual(
      ids.map((id) => ({ id, sendCount: 1, status: 'sent' })).sort((x, y) => x.id.localeCompare(y.id)),
    );
    // And every judgment any device got (rule judgments too) arrived once per recorded send.
    const got = new Map<string, number>([...alarmDevice.judgments, ...fleet.devices.flatMap((d) => [...d.judgments])]);
    const { rows: all } = await rig.pool.query<{ id: string; send_count: number }>(`SELECT id, send_count FROM judgments WHERE device_id = ANY($1) AND send_count > 0`, [[alarmDevice.id, ...fleet.devices.map((d) => d.id)]]);
    expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries(all.map((r) => [r.id, r.send_count]).sort()));
    expect(rig.crashes).toEqual([]);
  });
});
