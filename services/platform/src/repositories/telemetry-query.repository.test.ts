import { describe, expect, it } from 'vitest';
import { bucketExpression, bucketSql } from './telemetry-query.repository.ts';

// The plain-PostgreSQL path runs for real in http/telemetry.test.ts. No TimescaleDB exists
// on these machines, so its SQL is pinned here: same statement, only the bucket function differs.
describe('bucket SQL', () => {
  it('uses time_bucket with an explicit epoch origin on Timescale', () => {
    expect(bucketExpression('timescale')).toBe(`time_bucket(($4::bigint * INTERVAL '1 millisecond'), ts, TIMESTAMPTZ 'epoch')`);
  });

  it('uses date_bin with the same width and origin on plain PostgreSQL', () => {
    expect(bucketExpression('postgres')).toBe(`date_bin(($4::bigint * INTERVAL '1 millisecond'), ts, TIMESTAMPTZ 'epoch')`);
  });

  it('builds the full Timescale statement', () => {
    expect(bucketSql('timescale', ['pressureBar', 'motorStarts'])).toBe(
      [
        `SELECT time_bucket(($4::bigint * INTERVAL '1 millisecond'), ts, TIMESTAMPTZ 'epoch') AS bucket, count(*)::int AS n, ` +
          'avg(pressure_bar)::real AS m0_avg, min(pressure_bar) AS m0_min, max(pressure_bar) AS m0_max, ' +
          'avg(motor_starts)::float8 AS m1_avg, min(motor_starts)::float8 AS m1_min, max(motor_starts)::float8 AS m1_max',
        'FROM telemetry',
        'WHERE device_id = $1 AND ts >= $2 AND ts < $3',
        'GROUP BY bucket',
        'ORDER BY bucket',
      ].join('\n'),
    );
  });

  it('differs between flavours only in the bucket function', () => {
    const metrics = ['pressureBar', 'elementTempC', 'runningHours', 'loadCycles'] as const;
    const timescale = bucketSql('timescale', metrics);
    expect(timescale.replace('time_bucket(', 'date_bin(')).toBe(bucketSql('postgres', metrics));
  });

  it('only ever interpolates mapped column names', () => {
    const sql = bucketSql('postgres', ['airFilterDpMbar']);
    expect(sql).toContain('avg(air_filter_dp_mbar)');
    expect(sql).not.toContain('airFilterDpMbar');
  });
});
