import type pg from 'pg';

/**
 * Minimal rows the platform schema (migrations/1763800000000_init.sql) requires before a device
 * can exist: a customer, a site and a compressor model. Written here with plain SQL so the
 * gateway's tests do not depend on the platform's repositories.
 */
export const TENANT = { customerId: 'gw-test-customer', siteId: 'gw-test-site', modelId: 'gw-test-model' } as const;

export async function insertTenant(pool: pg.Pool): Promise<void> {
  await pool.query(`INSERT INTO customers (id, name) VALUES ($1, 'Gateway Test Customer')`, [TENANT.customerId]);
  await pool.query(
    `INSERT INTO sites (id, customer_id, name, city, country, region, timezone)
     VALUES ($1, $2, 'Gateway Test Site', 'Leeds', 'GB', 'EU', 'Europe/London')`,
    [TENANT.siteId, TENANT.customerId],
  );
  await pool.query(
    `INSERT INTO compressor_models (id, name, drive, rated_power_kw, fad_m3_min, rated_pressure_bar, max_pressure_bar,
       fla_a, unloaded_power_fraction, receiver_m3, default_load_bar, default_unload_bar, limits, service_plan)
     VALUES ($1, 'Test 37', 'fixed', 37, 6.3, 7.5, 8, 68, 0.25, 2, 6.5, 7.5, '{}', '{}')`,
    [TENANT.modelId],
  );
}

export async function provisionDevice(pool: pg.Pool, deviceId: string, tokenHash: string, options: { enabled?: boolean } = {}): Promise<void> {
  await pool.query(`INSERT INTO devices (id, serial, model_id, site_id, enabled) VALUES ($1, $2, $3, $4, $5)`, [
    deviceId,
    `SN-${deviceId}`,
    TENANT.modelId,
    TENANT.siteId,
    options.enabled ?? true,
  ]);
  await pool.query(`INSERT INTO device_credentials (device_id, token_hash) VALUES ($1, $2)`, [deviceId, tokenHash]);
}
