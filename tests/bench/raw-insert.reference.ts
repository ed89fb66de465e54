import type pg from 'pg';

/**
 * The reference the ingest is measured against: the same kind of rows inserted straight into
 * the same `telemetry` table, on one connection, in 1,000-row transactions of
 * `INSERT … SELECT FROM unnest … ON CONFLICT DO NOTHING` — no parsing, no MQTT, no rules.
 * Timestamps are a year back, so they collide with nothing the benchmark stored.
 */
export async function rawInsertRate(pool: pg.Pool, deviceIds: readonly string[], rows: number, say: (line: string) => void): Promise<number> {
  const client = await pool.connect();
  const base = Date.now() - 365 * 86_400_000;
  const perTx = 1000;
  let done = 0;
  const t0 = performance.now();
  try {
    while (done < rows) {
      const n = Math.min(perTx, rows - done);
      const dev: string[] = [];
      const ts: number[] = [];
      const seq: number[] = [];
      for (let i = 0; i < n; i += 1) {
        const k = done + i;
        dev.push(deviceIds[k % deviceIds.length]!);
        ts.push(base + Math.floor(k / deviceIds.length) * 1000);
        seq.push(k);
      }
      const v = (x: number): number[] => Array.from({ length: n }, () => x);
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO telemetry (device_id, ts, seq, state, pressure_bar, element_temp_c, power_kw, flow_m3_min, motor_current_a)
         SELECT d, to_timestamp(t / 1000.0), s, 'loaded', p, e, w, f, c
           FROM unnest($1::text[], $2::float8[], $3::int8[], $4::real[], $5::real[], $6::real[], $7::real[], $8::real[]) AS u(d, t, s, p, e, w, f, c)
         ON CONFLICT (device_id, ts) DO NOTHING`,
        [dev, ts, seq, v(7.1), v(84.2), v(39.6), v(6.3), v(68)],
      );
      await client.query('COMMIT');
      done += n;
      if (done % 50_000 === 0) say(`${done.toLocaleString('en')}/${rows.toLocaleString('en')} rows`);
    }
  } finally {
    client.release();
  }
  return done / ((performance.now() - t0) / 1000);
}
