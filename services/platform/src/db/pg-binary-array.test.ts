import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/test-database.ts';
import { decodeNumberArray, decodeTextArray, pgTimestampToEpochMs } from './pg-binary-array.ts';

/**
 * The binary array decoding must give exactly what the text protocol gave: the usage rollup's
 * figures depend on every bit of the timestamps and readings. Checked against PostgreSQL itself.
 */
describe('binary arrays (array_send) decoded as the text protocol would', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('timestamps: epoch ms as (extract(epoch FROM ts) * 1000)::float8, whole and fractional ms, before and after 2000', async () => {
    const { rows } = await db.pool.query<{ packed: Buffer; ms: number[] }>(
      `WITH t(ts) AS (
         SELECT to_timestamp(1765150451.682) UNION ALL SELECT '2026-03-29 01:00:00.000001+00' UNION ALL SELECT '1999-12-31 23:59:59.999999+00'
         UNION ALL SELECT '1970-01-01 00:00:00.5+00' UNION ALL SELECT NULL
         UNION ALL SELECT to_timestamp(1e9 + random() * 1e9) FROM generate_series(1, 2000))
       SELECT array_send(array_agg(ts)) AS packed, array_agg((extract(epoch FROM ts) * 1000)::float8) AS ms FROM t`,
    );
    expect(decodeNumberArray(rows[0]!.packed)).toEqual(rows[0]!.ms);
  });

  it('reals widen exactly as ::float8, doubles and integers unchanged, NULL stays null', async () => {
    const { rows } = await db.pool.query<{ r: Buffer; r8: number[]; d: Buffer; d8: number[]; i: Buffer; i8: number[] }>(
      `WITH v(x) AS (SELECT (random() * 1000 - 500) FROM generate_series(1, 2000) UNION ALL SELECT NULL UNION ALL SELECT 30.1 UNION ALL SELECT 1e-30)
       SELECT array_send(array_agg(x::real)) AS r, array_agg(x::real::float8) AS r8,
              array_send(array_agg(x)) AS d, array_agg(x) AS d8,
              array_send(array_agg(round(x * 1000)::bigint)) AS i, array_agg(round(x * 1000)::float8) AS i8 FROM v`,
    );
    const r = rows[0]!;
    expect(decodeNumberArray(r.r)).toEqual(r.r8);
    expect(decodeNumberArray(r.d)).toEqual(r.d8);
    expect(decodeNumberArray(r.i)).toEqual(r.i8);
  });

  it('text: known values by their bytes, others decoded; no rows is an empty list', async () => {
    const { rows } = await db.pool.query<{ t: Buffer; plain: string[]; none: Buffer | null }>(
      `SELECT array_send(ARRAY['loaded', 'unloaded', NULL, 'stopped', 'stoXped', 'débrayé', 'load', '']) AS t,
              ARRAY['loaded', 'unloaded', NULL, 'stopped', 'stoXped', 'débrayé', 'load', ''] AS plain,
              (SELECT array_send(array_agg(x)) FROM generate_series(1, 0) AS x) AS none`,
    );
    expect(decodeTextArray(rows[0]!.t, ['stopped', 'unloaded', 'loaded'])).toEqual(rows[0]!.plain);
    expect(decodeNumberArray(rows[0]!.none)).toEqual([]);
  });

  it('whole milliseconds come out exact far from 2000 too', () => {
    // 2100-01-01T00:00:00.001Z: 36 525 days after 2000-01-01, plus 1000 µs
    const us = 36_525n * 86_400_000_000n + 1000n;
    expect(pgTimestampToEpochMs(Number(us >> 32n), Number(us & 0xffffffffn))).toBe(Date.UTC(2100, 0, 1) + 1);
  });
});
