import { withTransaction } from '../db/transaction.ts';
import type pg from 'pg';
import { createDeviceTokenHasher, hashSecret, newToken } from '@airfleet/runtime';
import { createDevicesRepository } from '../repositories/devices.repository.ts';
import { createUsersRepository } from '../repositories/users.repository.ts';
import { DEMO_CUSTOMERS, DEMO_PASSWORD, DEMO_USERS, demoDevices, type DemoDeviceSpec } from './demo-fleet.data.ts';

export interface SeededDevice extends DemoDeviceSpec {
  token: string;
}

/** True when the demo tenant set is already there (seeding runs on first start only). */
export async function isDemoSeeded(pool: pg.Pool): Promise<boolean> {
  const { rowCount } = await pool.query(`SELECT 1 FROM customers WHERE id = $1`, [DEMO_CUSTOMERS[0]!.id]);
  return (rowCount ?? 0) > 0;
}

export interface SeedDemoOptions {
  /** DEVICE_TOKEN_PEPPER of the gateway that will check these devices' tokens. */
  deviceTokenPepper: string;
}

/**
 * Inserts customers, sites, demo users and devices with fresh tokens, in one transaction.
 * Returns the devices with their plaintext tokens once, for the simulator's fleet file;
 * the database keeps only hashes (HMAC for device tokens, scrypt for user passwords).
 */
export async function seedDemo(pool: pg.Pool, options: SeedDemoOptions): Promise<SeededDevice[]> {
  const devices = demoDevices();
  const passwordHash = await hashSecret(DEMO_PASSWORD);
  const tokenHasher = createDeviceTokenHasher(options.deviceTokenPepper);
  const withTokens = devices.map((d) => {
    const token = newToken();
    return { ...d, token, tokenHash: tokenHasher.hash(token) };
  });
  await withTransaction(pool, async (client) => {
    for (const c of DEMO_CUSTOMERS) {
      await client.query(
        `INSERT INTO customers (id, name, currency, tariff_per_kwh, grid_co2_kg_per_kwh, locale) VALUES ($1, $2, $3, $4, $5, $6)`,
        [c.id, c.name, c.currency, c.tariffPerKwh, c.gridCo2KgPerKwh, c.locale],
      );
      for (const s of c.sites) {
        await client.query(
          `INSERT INTO sites (id, customer_id, name, city, country, region, timezone) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [s.id, c.id, s.name, s.city, s.country, s.region, s.timezone],
        );
      }
    }
    const users = createUsersRepository(pool);
    for (const u of DEMO_USERS) await users.create({ ...u, passwordHash }, client);
    const devicesRepo = createDevicesRepository(pool);
    for (const d of withTokens) {
      const result = await devicesRepo.createWithCredential(d, client);
      if (!result.ok) throw new Error(`demo device ${d.id}: ${result.conflict} conflict`);
    }
  });
  return withTokens.map(({ tokenHash: _omit, ...d }) => d);
}
