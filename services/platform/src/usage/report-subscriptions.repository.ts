import type pg from 'pg';
import type { ReportLocale, ReportSubscription } from '@airfleet/contracts';

type Db = pg.Pool | pg.PoolClient;

export interface WeeklyRecipient {
  userId: string;
  email: string;
  name: string;
  locale: ReportLocale;
  customerId: string;
  lastSentWeek: string | null;
}

export function createReportSubscriptionsRepository(pool: pg.Pool) {
  return {
    /** No row yet: not subscribed, in the user's own locale. */
    async get(userId: string, db: Db = pool): Promise<ReportSubscription> {
      const { rows } = await db.query<{ weekly_report: boolean | null; locale: ReportLocale }>(
        `SELECT s.weekly_report, COALESCE(s.locale, u.locale) AS locale
           FROM users u LEFT JOIN report_subscriptions s ON s.user_id = u.id WHERE u.id = $1`,
        [userId],
      );
      const r = rows[0];
      return { weeklyReport: r?.weekly_report ?? false, locale: r?.locale ?? 'en' };
    },

    async put(userId: string, weeklyReport: boolean, locale: ReportLocale, db: Db = pool): Promise<ReportSubscription> {
      await db.query(
        `INSERT INTO report_subscriptions (user_id, weekly_report, locale) VALUES ($1, $2, $3)
         ON CONFLICT (user_id) DO UPDATE SET weekly_report = EXCLUDED.weekly_report, locale = EXCLUDED.locale, updated_at = now()`,
        [userId, weeklyReport, locale],
      );
      return { weeklyReport, locale };
    },

    /** Opted-in, enabled customer users. */
    async recipients(db: Db = pool): Promise<WeeklyRecipient[]> {
      const { rows } = await db.query<{ user_id: string; email: string; name: string; locale: ReportLocale; customer_id: string; last_sent_week: string | null }>(
        `SELECT u.id AS user_id, u.email, u.name, s.locale, u.customer_id, to_char(s.last_sent_week, 'YYYY-MM-DD') AS last_sent_week
           FROM report_subscriptions s JOIN users u ON u.id = s.user_id
          WHERE s.weekly_report AND NOT u.disabled AND u.role = 'customer' AND u.customer_id IS NOT NULL
          ORDER BY u.customer_id, u.email`,
      );
      return rows.map((r) => ({ userId: r.user_id, email: r.email, name: r.name, locale: r.locale, customerId: r.customer_id, lastSentWeek: r.last_sent_week }));
    },

    /** Claims the week for this user; false when another run already sent it (idempotent job). */
    async claimWeek(userId: string, weekStart: string, db: Db = pool): Promise<boolean> {
      const { rowCount } = await db.query(
        `UPDATE report_subscriptions SET last_sent_week = $2::date
          WHERE user_id = $1 AND (last_sent_week IS NULL OR last_sent_week < $2::date)`,
        [userId, weekStart],
      );
      return (rowCount ?? 0) > 0;
    },

    async releaseWeek(userId: string, previous: string | null, db: Db = pool): Promise<void> {
      await db.query(`UPDATE report_subscriptions SET last_sent_week = $2::date WHERE user_id = $1`, [userId, previous]);
    },
  };
}
export type ReportSubscriptionsRepository = ReturnType<typeof createReportSubscriptionsRepository>;
