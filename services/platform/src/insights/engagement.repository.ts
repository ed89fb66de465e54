import type pg from 'pg';
import type { EngagementKind } from '@airfleet/contracts';
import { WAU_WEEKS, WEEK_MS, type CustomerFacts, type EngagementAggregate } from './engagement.domain.ts';

type Db = pg.Pool | pg.PoolClient;

export interface EngagementEvent {
  userId: string | null;
  customerId: string | null;
  kind: EngagementKind;
  feature: string;
  atMs: number;
}

export function createEngagementRepository(pool: pg.Pool) {
  return {
    /** One statement per batch. */
    async insert(events: readonly EngagementEvent[], db: Db = pool): Promise<void> {
      if (events.length === 0) return;
      await db.query(
        `INSERT INTO engagement_events (user_id, customer_id, kind, feature, at)
         SELECT user_id, customer_id, kind, feature, to_timestamp(at_ms / 1000.0)
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::float8[]) AS u(user_id, customer_id, kind, feature, at_ms)`,
        [events.map((e) => e.userId), events.map((e) => e.customerId), events.map((e) => e.kind), events.map((e) => e.feature), events.map((e) => e.atMs)],
      );
    },

    /** Rows per rolling week (0 = the 7 days ending at `nowMs`) × user × customer × kind × feature. */
    async aggregates(nowMs: number, db: Db = pool): Promise<EngagementAggregate[]> {
      const { rows } = await db.query<{ user_id: string | null; customer_id: string | null; kind: EngagementKind; feature: string; n: number; last_ms: number }>(
        `SELECT user_id::text, customer_id, kind, feature, count(*)::int AS n, (extract(epoch FROM max(at)) * 1000)::float8 AS last_ms
           FROM engagement_events
          WHERE at > to_timestamp($1 / 1000.0) - $2::bigint * INTERVAL '1 millisecond' AND at <= to_timestamp($1 / 1000.0)
          GROUP BY floor((extract(epoch FROM to_timestamp($1 / 1000.0) - at) * 1000) / $3), user_id, customer_id, kind, feature`,
        [nowMs, WAU_WEEKS * WEEK_MS, WEEK_MS],
      );
      return rows.map((r) => ({ userId: r.user_id, customerId: r.customer_id, kind: r.kind, feature: r.feature, count: r.n, lastMs: r.last_ms }));
    },

    async customers(nowMs: number, db: Db = pool): Promise<CustomerFacts[]> {
      const { rows } = await db.query<{ id: string; name: string; machines: number; last_ms: number | null }>(
        `SELECT c.id, c.name,
                (SELECT count(*)::int FROM devices d JOIN sites s ON s.id = d.site_id WHERE s.customer_id = c.id) AS machines,
                (SELECT (extract(epoch FROM max(e.at)) * 1000)::float8 FROM engagement_events e
                  WHERE e.customer_id = c.id AND e.at <= to_timestamp($1 / 1000.0)) AS last_ms
           FROM customers c ORDER BY c.name`,
        [nowMs],
      );
      return rows.map((r) => ({ customerId: r.id, name: r.name, machines: r.machines, lastInteractionMs: r.last_ms }));
    },
  };
}
export type EngagementRepository = ReturnType<typeof createEngagementRepository>;
