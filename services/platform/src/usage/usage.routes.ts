import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  errorBodySchema,
  overviewQuerySchema,
  overviewResponseSchema,
  reportSubscriptionBodySchema,
  reportSubscriptionSchema,
  savingsQuerySchema,
  savingsResponseSchema,
  usageQuerySchema,
  usageResponseSchema,
  type ReportLocale,
} from '@airfleet/contracts';
import { currentUser } from '../auth/auth.plugin.ts';
import { customerScopeOf } from '../auth/session.ts';
import { ReportBusyError } from '../http/errors.catalogue.ts';
import { createReportConcurrencyLimiter, registerReportMetrics } from './report-concurrency.limiter.ts';
import type { ReportSubscriptionsRepository } from './report-subscriptions.repository.ts';
import { usageCsv, usageCsvFilename } from './usage-csv.domain.ts';
import type { UsageService } from './usage.service.ts';

export interface UsageRoutesOptions {
  usage: UsageService;
  subscriptions: ReportSubscriptionsRepository;
  /** Report computations (usage, savings) at once per user (default 2) … */
  reportsPerUser?: number;
  /** … and more waiting for a slot (default 4); beyond both, 429 REPORT_BUSY. */
  reportsQueuedPerUser?: number;
  /** Where `airfleet_report_computations{state}` is registered (running, waiting). */
  metrics?: Registry;
}

/** A cold year of a site computes in about a second (docs/customer-reports.md): ask again after 2 s. */
const REPORT_RETRY_AFTER_S = 2;

const security = [{ sessionCookie: [] }];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };
const reportErrors = { ...errors, 429: errorBodySchema, 503: errorBodySchema };

function localeOf(request: FastifyRequest, lang: ReportLocale | undefined): ReportLocale {
  return lang ?? currentUser(request).locale;
}

/** CSV when asked by `format=csv`, or by an Accept header that prefers text/csv over JSON. */
function wantsCsv(request: FastifyRequest, format: 'json' | 'csv' | undefined): boolean {
  if (format) return format === 'csv';
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/.test(accept) && !/\bapplication\/json\b/.test(accept);
}

/**
 * Mounted at /api. Customers see only their own machines and sites (another customer's id
 * answers 404, scoping is in SQL); admin, operator and service may query any customer's.
 */
export const usageRoutes: FastifyPluginAsyncZod<UsageRoutesOptions> = async (app, { usage, subscriptions, reportsPerUser = 2, reportsQueuedPerUser = 4, metrics }) => {
  app.addHook('onRequest', app.requireUser());
  const limiter = createReportConcurrencyLimiter({ perUser: reportsPerUser, queuedPerUser: reportsQueuedPerUser });
  if (metrics) registerReportMetrics(metrics, limiter);

  /**
   * Runs one report computation in one of the user's slots, waiting in line for one if need be;
   * refuses with 429 REPORT_BUSY and Retry-After when the user's queue is full too.
   */
  async function inSlot<T>(request: FastifyRequest, reply: FastifyReply, compute: () => Promise<T>): Promise<T> {
    const slot = limiter.acquire(currentUser(request).id);
    if (!slot) {
      reply.header('retry-after', String(REPORT_RETRY_AFTER_S));
      throw new ReportBusyError(`${reportsPerUser} of your reports are being computed and ${reportsQueuedPerUser} are waiting; retry in ${REPORT_RETRY_AFTER_S} s`);
    }
    const release = await slot;
    try {
      return await compute();
    } finally {
      release();
    }
  }

  app.get(
    '/customer/usage',
    {
      schema: {
        tags: ['customer'],
        summary: 'Usage and energy per period for one machine (deviceId) or a site (siteId)',
        description:
          'Periods are local to the site (day, ISO week from Monday, month). `format=csv` or `Accept: text/csv` answers a UTF-8 CSV ' +
          '(with BOM) of the period table, or of the per-machine table with `table=machines`. The range may span at most 400 days ' +
          'by day, 2 years by week, 5 years by month (400 RANGE_TOO_LONG); a user computes at most a few reports at once, a few ' +
          'more wait their turn, and beyond that the answer is 429 REPORT_BUSY with Retry-After.',
        security,
        querystring: usageQuerySchema,
        response: { 200: usageResponseSchema, ...reportErrors },
      },
    },
    async (request, reply) => {
      const { format, lang, table, ...q } = request.query;
      const report = await inSlot(request, reply, () => usage.usage(customerScopeOf(currentUser(request)), q));
      if (!wantsCsv(request, format)) return report;
      // A string with a non-JSON content type is sent as is: the JSON response schema does not apply.
      const raw = reply as unknown as FastifyReply;
      return raw
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${usageCsvFilename(report, table)}"`)
        .header('cache-control', 'private, no-store')
        .send(usageCsv(report, table, localeOf(request, lang)));
    },
  );

  app.get(
    '/customer/savings',
    {
      schema: {
        tags: ['customer'],
        summary: 'Savings advice with expected kWh and money per year, and its assumptions',
        security,
        querystring: savingsQuerySchema,
        response: { 200: savingsResponseSchema, ...reportErrors },
      },
    },
    async (request, reply) => {
      const { lang, days, ...sel } = request.query;
      return inSlot(request, reply, () => usage.savings(customerScopeOf(currentUser(request)), { ...sel, days }, localeOf(request, lang)));
    },
  );

  app.get(
    '/customer/overview',
    {
      schema: {
        tags: ['customer'],
        summary: 'Each own machine: status, health, active alerts in plain language, upcoming maintenance',
        security,
        querystring: overviewQuerySchema,
        response: { 200: overviewResponseSchema, ...errors },
      },
    },
    async (request) => usage.overview(customerScopeOf(currentUser(request)), localeOf(request, request.query.lang)),
  );

  app.get(
    '/customer/report-subscription',
    { schema: { tags: ['customer'], summary: 'My weekly email report subscription', security, response: { 200: reportSubscriptionSchema, ...errors } } },
    async (request) => subscriptions.get(currentUser(request).id),
  );

  app.put(
    '/customer/report-subscription',
    {
      schema: {
        tags: ['customer'],
        summary: 'Opt in or out of the weekly email report (sent Monday 06:00 in the site time zone)',
        security,
        body: reportSubscriptionBodySchema,
        response: { 200: reportSubscriptionSchema, ...errors },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return subscriptions.put(user.id, request.body.weeklyReport, request.body.locale ?? user.locale);
    },
  );
};
