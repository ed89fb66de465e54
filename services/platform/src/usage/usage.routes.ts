import type { FastifyReply, FastifyRequest } from 'fastify';
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
import type { ReportSubscriptionsRepository } from './report-subscriptions.repository.ts';
import { usageCsv, usageCsvFilename } from './usage-csv.domain.ts';
import type { UsageService } from './usage.service.ts';

export interface UsageRoutesOptions {
  usage: UsageService;
  subscriptions: ReportSubscriptionsRepository;
}

const security = [{ sessionCookie: [] }];
const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

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
export const usageRoutes: FastifyPluginAsyncZod<UsageRoutesOptions> = async (app, { usage, subscriptions }) => {
  app.addHook('onRequest', app.requireUser());

  app.get(
    '/customer/usage',
    {
      schema: {
        tags: ['customer'],
        summary: 'Usage and energy per period for one machine (deviceId) or a site (siteId)',
        description:
          'Periods are local to the site (day, ISO week from Monday, month). `format=csv` or `Accept: text/csv` answers a UTF-8 CSV ' +
          '(with BOM) of the period table, or of the per-machine table with `table=machines`.',
        security,
        querystring: usageQuerySchema,
        response: { 200: usageResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { format, lang, table, ...q } = request.query;
      const report = await usage.usage(customerScopeOf(currentUser(request)), q);
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
        response: { 200: savingsResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { lang, days, ...sel } = request.query;
      return usage.savings(customerScopeOf(currentUser(request)), { ...sel, days }, localeOf(request, lang));
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
