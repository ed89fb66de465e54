import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { liveServerMessageSchema, LIVE_CLOSE_CODES, type Alarm, type LiveServerMessage, type Telemetry, type WorkOrder } from '@airfleet/contracts';
import { buildTestApp, loginCookie, seedPlatformFixtures, type PlatformFixtures, type TestApp } from '../../../../tests/support/platform-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { waitFor } from '../../../../tests/support/wait-for.ts';
import { counterValue } from '../../../../tests/support/system-harness.ts';
import { createPlatformEvents, type PlatformEvents } from '../events/platform-events.ts';

const LIMITS = { flushIntervalMs: 20, highWaterBytes: 256 * 1024, dropAfterMs: 500, maxItemsPerFrame: 100, maxQueuedBytes: 64 * 1024, heartbeatMs: 200 };

let db: TestDatabase;
let fx: PlatformFixtures;
let t: TestApp;
let events: PlatformEvents;
let port: number;
const cookies = { operator: '', acme: '', globex: '' };

beforeAll(async () => {
  db = await createTestDatabase();
  fx = await seedPlatformFixtures(db.pool);
  events = createPlatformEvents();
  t = await buildTestApp(db.pool, { events, live: LIMITS });
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(address).port);
  cookies.operator = await loginCookie(t.app, fx.users.operator.email);
  cookies.acme = await loginCookie(t.app, fx.users.acmeBuyer.email);
  cookies.globex = await loginCookie(t.app, fx.users.globexBuyer.email);
});
afterAll(async () => {
  await t?.app.close();
  await db?.drop();
});

interface Client {
  ws: WebSocket;
  messages: LiveServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
}

function connect(cookie: string | null, headers: Record<string, string> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/live`, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
    const messages: LiveServerMessage[] = [];
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.on('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('message', (data) => messages.push(liveServerMessageSchema.parse(JSON.parse(data.toString()))));
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode })));
    ws.once('error', reject);
  });
}

const refusal = (cookie: string | null, headers: Record<string, string> = {}) =>
  connect(cookie, headers).then(
    (c) => {
      c.ws.close();
      return 101;
    },
    (err: { statusCode?: number }) => err.statusCode ?? -1,
  );

const sample = (seq: number, metrics: Telemetry['metrics'] = { pressureBar: 7 }): Telemetry => ({ ts: Date.now() - 1000 + seq, seq, state: 'loaded', metrics });
const telemetryFor = (c: Client) => c.messages.flatMap((m) => (m.type === 'telemetry' ? m.items : []));

describe('live channel: authentication at the upgrade', () => {
  it('refuses an upgrade without a session (401) or with an unknown one', async () => {
    expect(await refusal(null)).toBe(401);
    expect(await refusal('airfleet_session=not-a-session-but-long-enough-0123456789')).toBe(401);
  });

  it('refuses a cross-site handshake (Origin of another host) with 403', async () => {
    expect(await refusal(cookies.operator, { origin: 'https://evil.example' })).toBe(403);
    expect(await refusal(cookies.operator, { origin: `http://127.0.0.1:${port}` })).toBe(101);
  });

  it('greets with the user and role', async () => {
    const c = await connect(cookies.acme);
    await waitFor(() => c.messages.length > 0, 'hello');
    expect(c.messages[0]).toMatchObject({ type: 'hello', userId: fx.users.acmeBuyer.id, role: 'customer', customerId: 'fx-acme' });
    c.ws.close();
  });
});

describe('live channel: tenant scope', () => {
  it('a customer receives only its own devices: telemetry, status, events and domain notifications', async () => {
    const operator = await connect(cookies.operator);
    const acme = await connect(cookies.acme);
    const acmeId = fx.devices.acme1.id;
    const globexId = fx.devices.globex1.id;
    events.emit('telemetry', [
      { deviceId: acmeId, sample: sample(1) },
      { deviceId: globexId, sample: sample(2) },
    ]);
    events.emit('status', { deviceId: globexId, status: { online: false }, receivedAtMs: Date.now() });
    events.emit('status', { deviceId: acmeId, status: { online: true, firmware: '2.0.0' }, receivedAtMs: Date.now() });
    events.emit('deviceEvent', { deviceId: globexId, event: { ts: Date.now(), type: 'trip', code: 'ADT_HIGH_TRIP' } });
    // Payloads are opaque to the hub: stand-ins (cast) are enough to follow the tenant filter.
    events.emit('domain', { type: 'alarm', deviceId: globexId, customerId: 'fx-globex', payload: { id: '1' } as unknown as Alarm });
    events.emit('domain', { type: 'alarm', deviceId: acmeId, customerId: 'fx-acme', payload: { id: '2' } as unknown as Alarm });
    events.emit('domain', { type: 'work_order', payload: { id: 'fleet' } as unknown as WorkOrder });

    await waitFor(() => telemetryFor(operator).length === 2 && operator.messages.some((m) => m.type === 'domain' && m.kind === 'work_order'), 'operator sees all');
    await waitFor(() => acme.messages.some((m) => m.type === 'domain'), 'acme domain event');
    // A later sample of acme's own arrives after anything emitted before it: once it is there,
    // whatever the hub would (wrongly) have sent acme has arrived too.
    events.emit('telemetry', [{ deviceId: acmeId, sample: sample(3) }]);
    await waitFor(() => telemetryFor(acme).some((i) => i.seq === 3), 'acme marker sample');

    const seen = JSON.stringify(acme.messages);
    expect(seen).not.toContain(globexId);
    expect(new Set(telemetryFor(acme).map((i) => i.deviceId))).toEqual(new Set([acmeId]));
    expect(acme.messages.filter((m) => m.type === 'status')).toEqual([{ type: 'status', items: [expect.objectContaining({ deviceId: acmeId, online: true, firmware: '2.0.0' })] }]);
    expect(acme.messages.filter((m) => m.type === 'domain').map((m) => (m.type === 'domain' ? m.payload : null))).toEqual([{ id: '2' }]);
    expect(acme.messages.some((m) => m.type === 'event')).toBe(false);
    expect(operator.messages.some((m) => m.type === 'event' && m.deviceId === globexId)).toBe(true);
    operator.ws.close();
    acme.ws.close();
  });

  it('learns devices created after it loaded the directory (fail closed until then)', async () => {
    const acme = await connect(cookies.acme);
    await t.app.inject({ method: 'GET', url: '/healthz' });
    await db.pool.query(`INSERT INTO devices (id, serial, model_id, site_id) VALUES ('FX-ACME-NEW', 'FXSN-NEW', 'AF22', 'fx-acme-north')`);
    await waitFor(
      () => {
        events.emit('telemetry', [{ deviceId: 'FX-ACME-NEW', sample: sample(7) }]);
        return telemetryFor(acme).some((i) => i.deviceId === 'FX-ACME-NEW');
      },
      'the new device reaches its customer',
      5000,
      200,
    );
    acme.ws.close();
  });

  it('narrows telemetry to the subscribed devices on request', async () => {
    const operator = await connect(cookies.operator);
    operator.ws.send(JSON.stringify({ type: 'subscribe', deviceIds: [fx.devices.globex1.id] }));
    await new Promise((r) => setTimeout(r, 50));
    events.emit('telemetry', [
      { deviceId: fx.devices.acme1.id, sample: sample(11) },
      { deviceId: fx.devices.globex1.id, sample: sample(12) },
    ]);
    await waitFor(() => telemetryFor(operator).length > 0, 'telemetry');
    // A later sample of the subscribed device arrives after anything emitted before it.
    events.emit('telemetry', [{ deviceId: fx.devices.globex1.id, sample: sample(13) }]);
    await waitFor(() => telemetryFor(operator).some((i) => i.seq === 13), 'marker sample');
    expect(new Set(telemetryFor(operator).map((i) => i.deviceId))).toEqual(new Set([fx.devices.globex1.id]));
    operator.ws.close();
  });

  it('closes on a malformed client message (1008)', async () => {
    const c = await connect(cookies.operator);
    c.ws.send('{"type":"subscribe","deviceIds":["no/slashes"]}');
    expect((await c.closed).code).toBe(1008);
  });

  it('ends the socket when the session ends (logout), with the session-ended code', async () => {
    const cookie = await loginCookie(t.app, fx.users.globexBuyer.email);
    const c = await connect(cookie);
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    const closed = await c.closed;
    expect(closed.code).toBe(LIVE_CLOSE_CODES.sessionEnded);
  });
});

/** Completes a WebSocket handshake over a raw socket, then never reads again. */
function stalledClient(port: number, cookie: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        [
          'GET /live HTTP/1.1',
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 13',
          `Cookie: ${cookie}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      socket.pause();
      if (head.startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(head.split('\r\n')[0]));
    };
    socket.on('data', onData);
    socket.on('error', reject);
  });
}

describe('live channel: backpressure', () => {
  // Its own app, with a slow heartbeat: a stalled client must be dropped for not reading,
  // not for missing a pong.
  let slow: TestApp;
  let slowPort: number;
  let slowEvents: PlatformEvents;
  beforeAll(async () => {
    slowEvents = createPlatformEvents();
    slow = await buildTestApp(db.pool, { events: slowEvents, live: { ...LIMITS, heartbeatMs: 60_000 } });
    slowPort = Number(new URL(await slow.app.listen({ port: 0, host: '127.0.0.1' })).port);
  });
  afterAll(async () => {
    await slow?.app.close();
  });

  it('a client that stops reading is bounded (high-water mark + one frame) and then dropped', async () => {
    const socket = await stalledClient(slowPort, cookies.operator);
    await waitFor(() => slow.app.live.size === 1, 'registered');
    const connection = slow.app.live.connections()[0]!;

    // ~450 bytes per item, 1000 devices per batch: far more than loopback buffers hold.
    const metrics: Telemetry['metrics'] = { pressureBar: 7.123, elementTempC: 85.2, ambientTempC: 21.3, motorCurrentA: 61.2, powerKw: 38.4, flowM3Min: 6.12, separatorDpBar: 0.213, airFilterDpMbar: 21.4, vibrationMmS: 2.13, runningHours: 12345.678, loadedHours: 9876.543, motorStarts: 1234, loadCycles: 456789 };
    const ids = Array.from({ length: 1000 }, (_, i) => `LOAD-${String(i).padStart(4, '0')}`);
    let seq = 0;
    const pump = setInterval(() => {
      seq += 1;
      slowEvents.emit('telemetry', ids.map((deviceId) => ({ deviceId, sample: sample(seq, metrics) })));
    }, 2);
    try {
      await waitFor(() => connection.closed, 'the stalled client to be dropped', 20_000);
    } finally {
      clearInterval(pump);
      socket.destroy();
    }

    const frameBytes = LIMITS.maxItemsPerFrame * 600;
    expect(connection.stats.maxBufferedBytes).toBeGreaterThan(LIMITS.highWaterBytes);
    expect(connection.stats.maxBufferedBytes).toBeLessThanOrEqual(LIMITS.highWaterBytes + frameBytes);
    // Sampling, not queueing: pending state never exceeds one entry per device.
    expect(connection.pendingItems).toBeLessThanOrEqual(ids.length);
    expect(connection.stats.coalesced).toBeGreaterThan(0);
    expect(slow.app.live.size).toBe(0);
    expect(await counterValue(slow.metrics, 'airfleet_live_dropped_connections_total', { reason: 'too_slow' })).toBe(1);
  });

  it('a client that reads keeps its connection under the same load', async () => {
    const c = await connect(cookies.operator);
    const ids = Array.from({ length: 200 }, (_, i) => `READ-${i}`);
    for (let seq = 0; seq < 50; seq++) {
      events.emit('telemetry', ids.map((deviceId) => ({ deviceId, sample: sample(seq) })));
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(() => telemetryFor(c).some((i) => i.deviceId === 'READ-199' && i.seq === 49), 'the newest samples');
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
  });
});
