import type pg from 'pg';
import type { Site } from '@airfleet/contracts';

type Db = pg.Pool | pg.PoolClient;

interface SiteRow {
  id: string;
  name: string;
  customer_id: string;
  customer_name: string;
  city: string;
  country: string;
  timezone: string;
  region: string;
}

export function createSitesRepository(pool: pg.Pool) {
  return {
    /** `customerId` null = every customer's sites (staff); otherwise only that customer's. */
    async list(customerId: string | null, db: Db = pool): Promise<Site[]> {
      const { rows } = await db.query<SiteRow>(
        `SELECT s.id, s.name, s.customer_id, c.name AS customer_name, s.city, s.country, s.timezone, s.region
           FROM sites s JOIN customers c ON c.id = s.customer_id
          WHERE $1::text IS NULL OR s.customer_id = $1
          ORDER BY c.name, s.name, s.id`,
        [customerId],
      );
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        customerId: r.customer_id,
        customerName: r.customer_name,
        city: r.city,
        country: r.country,
        timezone: r.timezone,
        region: r.region,
      }));
    },
  };
}
export type SitesRepository = ReturnType<typeof createSitesRepository>;
