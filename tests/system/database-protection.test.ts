import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import type pg from 'pg';
import { errorBodySchema, telemetryTopic, usageResponseSchema } from '@airfleet/contracts';
import { connectDevice, publishAsync } from '../support/mqtt-clients.ts';
import { counterValue, startSystem, type System } from '../support/system-harness.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * The database protects itself (docs/operations.md "Database pools"): the API, the jobs and the
 * ingest have pools of their own, each with a server-side statement timeout; a statement the API's
 * timeout cancels is a 503 QUERY_TIMEOUT, not a 500; heavy reports are bounded per user and per
 * range. Real PostgreSQL, real HTTP, a real MQTT device.
 */
const SITE = 'northwind-sheffield';
const BUYER = 'buyer@northwind.example';
const DAY_MS = 86_400_000;

/** Holds an ACCESS EXCLUSIVE lock on `usage_daily` (every usage report reads it) until released. */
async function lockUsageDaily(pool: pg.Pool): Promise<{ release(): Promise<void> }> {
  const client = await pool.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE usage_daily IN ACCESS EXCLUSIVE MODE');
  return {
    async release() {
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

/** Statements of this database waiting for a lock (the blocked report requests). */
async function waitingOnLocks(sys: System): Promise<number> {
  const { rows } = await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
  return rows[0]!.n;
}

describe('API statement timeout', () => {
  let sys: System;
  let cookie: string;

  beforeAll(async () => {
    // A short API timeout, so that a statement blocked behind a lock outlasts it quickly.
    sys = await startSystem({ pools: { api: { statementTimeoutMs: 300 } } });
    cookie = await sys.login(BUYER);
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('a report whose statement outlasts the timeout answers 503 QUERY_TIMEOUT, and the pool stays usable', async () => {
    const { rows } = await sys.pools.api.query<{ t: string }>(`SELECT current_setting('statement_timeout') AS t`);
    expect(rows[0]!.t).toBe('300ms');
    const lock = await lockUsageDaily(sys.pool);
    let res: Response;
    try {
      res = await sys.api(`/api/customer/usage?siteId=${SITE}&granularity=day`, cookie);
    } finally {
      await lock.release();
    }
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = errorBodySchema.parse(await res.json());
    expect(body.code).toBe('QUERY_TIMEOUT');
    expect(body.message).not.toMatch(/canceling statement|usage_daily/);

    // The cancelled statement's connection went back to the pool in working order: every API
    // connection (not only a fresh one) answers, and the same report now succeeds.
    const held = await Promise.all(Array.from({ length: sys.pools.api.options.max }, () => sys.pools.api.connect()));
    try {
      for (const c of held) expect((await c.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one).toBe(1);
    } finally {
      for (const c of held) c.release();
    }
    const again = await sys.api(`/api/customer/usage?siteId=${SITE}&granularity=day`, cookie);
    expect(again.status).toBe(200);
    usageResponseSchema.parse(await again.json());
  });

  it('the jobs and ingest pools have their own, longer timeouts', async () => {
    const jobs = await sys.pools.jobs.query<{ t: string; i: string }>(`SELECT current_setting('statement_timeout') AS t, current_setting('idle_in_transaction_session_timeout') AS i`);
    expect(jobs.rows[0]).toEqual({ t: '5min', i: '1min' });
    const ingest = await sys.pools.ingest.query<{ t: string }>(`SELECT current_setting('statement_timeout') AS t`);
    expect(ingest.rows[0]!.t).toBe('30s');
  });
});

describe('separate pools and bounded reports', () => {
  let sys: System;
  let buyer: string;
  let operator: string;
  let device: MqttClient | undefined;

  beforeAll(async () => {
    sys = await startSystem({ reportsPerUser: 2, reportsQueuedPerUser: 1 });
    buyer = await sys.login(BUYER);
    operator = await sys.login('operator@airfleet.example');
  });
  afterAll(async () => {
    await device?.endAsync().catch(() => undefined);
    await sys?.close();
  });

  it('with every API connection held, an ingest write still commits; the API answers 503, not 500', async () => {
    const held = await Promise.all(Array.from({ length: sys.pools.api.options.max }, () => sys.pools.api.connect()));
    try {
      expect(sys.pools.api.totalCount).toBe(sys.pools.api.options.max);
      expect(sys.pools.api.idleCount).toBe(0);
      const d = sys.devices[0]!;
      device = await connectDevice(sys.mqttPort, d.id, d.token);
      const ts = Date.now() - 1000;
      // QoS 1: the PUBACK comes only once the sample is committed.
      await publishAsync(device, telemetryTopic(d.id), JSON.stringify([{ ts, seq: 1, state: 'loaded', metrics: { pressureBar: 7.1, powerKw: 30 } }]));
      const { rows } = await sys.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM telemetry WHERE device_id = $1 AND ts = to_timestamp($2 / 1000.0)`, [d.id, ts]);
      expect(rows[0]!.n).toBe(1);
      // Meanwhile the API has no connection to give: after the pool's connect timeout it says so.
      const res = await sys.api(`/api/customer/usage?siteId=${SITE}&granularity=day`, buyer);
      expect(res.status).toBe(503);
      expect(errorBodySchema.parse(await res.json()).code).toBe('UNAVAILABLE');
      expect(res.headers.get('retry-after')).toBe('5');
    } finally {
      for (const c of held) c.release();
    }
    expect((await sys.api(`/api/customer/usage?siteId=${SITE}&granularity=day`, buyer)).status).toBe(200);
  });

  it('a user computes at most REPORTS_PER_USER reports at once, REPORTS_QUEUED_PER_USER more wait their turn, the next answers 429 REPORT_BUSY', async () => {
    const url = `/api/customer/usage?siteId=${SITE}&granularity=week`;
    const lock = await lockUsageDaily(sys.pool);
    let first: Array<Promise<Response>> | undefined;
    let queued: Promise<Response> | undefined;
    let otherUser: Promise<Response> | undefined;
    try {
      // Two reports of the buyer start and wait for the lock: both of the buyer's slots are taken.
      first = [sys.api(url, buyer), sys.api(`/api/customer/savings?siteId=${SITE}`, buyer)];
      await waitFor(async () => (await waitingOnLocks(sys)) >= 2, 'two reports waiting for the lock');
      // A third waits for a slot (not for the lock: it has not started computing) …
      queued = sys.api(`${url}&format=csv`, buyer);
      await waitFor(async () => (await counterValue(sys.registry, 'airfleet_report_computations', { state: 'waiting' })) === 1, 'the third report waiting for a slot');
      // … and a fourth finds the queue full.
      const busy = await sys.api(url, buyer);
      expect(busy.status).toBe(429);
      expect(busy.headers.get('retry-after')).toBe('2');
      expect(errorBodySchema.parse(await busy.json()).code).toBe('REPORT_BUSY');
      expect(await waitingOnLocks(sys)).toBe(2);
      // Another user is not refused: their report waits for the lock like any other.
      otherUser = sys.api(url, operator);
      await waitFor(async () => (await waitingOnLocks(sys)) >= 3, 'the other user’s report waiting too');
    } finally {
      await lock.release();
    }
    for (const res of [...(await Promise.all(first ?? [])), (await queued)!, (await otherUser)!]) expect(res.status).toBe(200);
    // The slots are free again once the reports are done.
    expect((await sys.api(url, buyer)).status).toBe(200);
  });

  it('range caps per granularity: 400 days by day, 2 years by week, 5 years by month (400 RANGE_TOO_LONG beyond)', async () => {
    const to = Date.UTC(2026, 10, 1);
    const ask = (days: number, granularity: string) =>
      sys.api(`/api/customer/usage?siteId=${SITE}&from=${new Date(to - days * DAY_MS).toISOString()}&to=${new Date(to).toISOString()}&granularity=${granularity}`, buyer);
    for (const [days, granularity] of [[400, 'day'], [731, 'week'], [1827, 'month']] as const) {
      expect((await ask(days, granularity)).status, `${days} d by ${granularity}`).toBe(200);
      const over = await ask(days + 1, granularity);
      expect(over.status, `${days + 1} d by ${granularity}`).toBe(400);
      const body = errorBodySchema.parse(await over.json());
      expect(body.code).toBe('RANGE_TOO_LONG');
      expect(body.message).toContain(granularity);
    }
  });
});
