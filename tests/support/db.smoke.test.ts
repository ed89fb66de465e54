import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

describe('test database', () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());
  it('is a migrated copy of the template', async () => {
    db = await createTestDatabase();
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name = 'telemetry'`);
    expect(rows[0].n).toBe(1);
  });
});
