import type pg from 'pg';
import type { Logger } from '@airfleet/runtime';
import { runExclusive } from '../db/job-lease.ts';
import { localParts, periodStart, zonedToUtc } from './local-time.domain.ts';
import type { ReportSubscriptionsRepository } from './report-subscriptions.repository.ts';
import type { UsageService } from './usage.service.ts';
import { buildWeeklyReport, type WeeklySite } from './weekly-report.domain.ts';

const DAY_MS = 86_400_000;

/** The calendar day after `YYYY-MM-DD` (the exclusive end of a week that ends on it). */
const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
/** Sent on Monday from 06:00 local time: before the working week starts in most plants. */
export const WEEKLY_REPORT_HOUR = 6;

export interface WeeklyReportMessage {
  userId: string;
  kind: 'weekly_report';
  subject: string;
  text: string;
  html: string;
  /** Same key = the same report; a sender may use it to deliver once. */
  dedupeKey: string;
}

export interface WeeklyReportJobDeps {
  /** Where the job's lease is taken: of several platform instances, one runs it at a time. */
  pool: pg.Pool;
  subscriptions: ReportSubscriptionsRepository;
  usage: UsageService;
  /** The one email path (notifications' sendEmail, or the Mailer). Rejects when not sent. */
  send: (message: WeeklyReportMessage) => Promise<unknown>;
  log: Logger;
  clock?: () => number;
  /** How often the job looks for due reports (0 = never by itself; tests call runOnce). */
  intervalMs?: number;
  /** PUBLIC_URL: reports link to the portal's usage and print pages. Unset = no links. */
  publicUrl?: string;
}

/**
 * The latest local week [Monday, Monday) of `timeZone` whose report is due at `nowMs`: last
 * week once Monday 06:00 local has passed, the week before until then. The label is its Monday.
 */
export function dueWeek(nowMs: number, timeZone: string): { label: string; startMs: number; endMs: number; lastDay: string } {
  let thisWeek = periodStart(nowMs, 'week', timeZone);
  const monday = localParts(thisWeek.startMs, timeZone);
  if (nowMs < zonedToUtc(monday.year, monday.month, monday.day, WEEKLY_REPORT_HOUR, timeZone)) {
    thisWeek = periodStart(thisWeek.startMs - DAY_MS / 2, 'week', timeZone);
  }
  // Any instant of the week before `thisWeek`: the Sunday before it, at noon.
  const previous = periodStart(thisWeek.startMs - DAY_MS / 2, 'week', timeZone);
  const sunday = periodStart(thisWeek.startMs - DAY_MS / 2, 'day', timeZone);
  return { label: previous.label, startMs: previous.startMs, endMs: thisWeek.startMs, lastDay: sunday.label };
}

/**
 * Once a week, each opted-in customer user gets the report of the last complete week, per site.
 * The schedule follows the customer's (first) site time zone; `last_sent_week` makes the job
 * idempotent across restarts and several instances (the week is claimed before sending, and
 * released again if the send fails so the next run retries).
 */
export function createWeeklyReportJob(deps: WeeklyReportJobDeps) {
  const clock = deps.clock ?? Date.now;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  async function runOnce(nowMs: number = clock()): Promise<{ sent: number; failed: number; notDue: number }> {
    const result = { sent: 0, failed: 0, notDue: 0 };
    const recipients = await deps.subscriptions.recipients();
    const sitesByCustomer = new Map<string, Awaited<ReturnType<UsageService['sitesOf']>>>();
    for (const r of recipients) {
      let sites = sitesByCustomer.get(r.customerId);
      if (!sites) {
        sites = await deps.usage.sitesOf(r.customerId);
        sitesByCustomer.set(r.customerId, sites);
      }
      const week = dueWeek(nowMs, sites[0]?.timezone ?? 'UTC');
      if (r.lastSentWeek !== null && r.lastSentWeek >= week.label) {
        result.notDue++;
        continue;
      }
      if (!(await deps.subscriptions.claimWeek(r.userId, week.label))) {
        result.notDue++;
        continue;
      }
      try {
        let customerName = r.customerId;
        const weeklySites: WeeklySite[] = [];
        for (const site of sites) {
          const w = dueWeek(nowMs, site.timezone);
          const figures = await deps.usage.week(site.siteId, w.startMs, w.endMs, r.locale);
          customerName = figures.customer.name;
          weeklySites.push({ siteId: site.siteId, from: w.label, to: nextDay(w.lastDay), siteName: figures.scope.siteName, currency: figures.customer.currency, totals: figures.usage.totals, savings: figures.savings.opportunities });
        }
        const report = buildWeeklyReport({
          locale: r.locale,
          recipientName: r.name,
          customerName,
          weekStart: week.label,
          weekEnd: week.lastDay,
          sites: weeklySites,
          publicUrl: deps.publicUrl,
        });
        await deps.send({ userId: r.userId, kind: 'weekly_report', ...report, dedupeKey: `weekly-report:${r.userId}:${week.label}` });
        result.sent++;
      } catch (err) {
        result.failed++;
        deps.log.error({ err, userId: r.userId, week: week.label }, 'weekly report not sent; retried on the next run');
        await deps.subscriptions.releaseWeek(r.userId, r.lastSentWeek).catch(() => undefined);
      }
    }
    if (result.sent + result.failed > 0) deps.log.info(result, 'weekly reports');
    return result;
  }

  /**
   * One timer run, on one platform instance at a time (claimWeek alone would already keep a
   * report from going out twice; the lease keeps the instances from racing through the same
   * recipients). False when a run is going on here or another instance holds the lease.
   */
  async function tick(): Promise<boolean> {
    if (running) return false;
    const run = runExclusive(deps.pool, 'weekly-reports', () => runOnce());
    running = run;
    try {
      return (await run).ran;
    } catch (err) {
      deps.log.error({ err }, 'weekly report run failed');
      return false;
    } finally {
      running = null;
    }
  }

  return {
    runOnce,
    tick,
    start(): void {
      const every = deps.intervalMs ?? 15 * 60_000;
      if (every <= 0 || timer) return;
      timer = setInterval(() => void tick(), every);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
export type WeeklyReportJob = ReturnType<typeof createWeeklyReportJob>;
