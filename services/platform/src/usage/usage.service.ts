import type { OverviewResponse, ReportLocale, SavingsResponse, UsageGranularity, UsageResponse, UsageScope } from '@airfleet/contracts';
import { BadRequestError, NotFoundError, RangeTooLongError } from '../http/errors.catalogue.ts';
import { DEFAULT_MAINTENANCE_HORIZON } from '../maintenance/maintenance-plan.domain.ts';
import type { MaintenanceService } from '../maintenance/maintenance.service.ts';
import { localDateToUtc, periodsBetween, startOfLocalDay } from './local-time.domain.ts';
import type { OverviewRepository } from './overview.repository.ts';
import { alertText, maintenanceText } from './plain-language.domain.ts';
import { savingsAdvice } from './savings.domain.ts';
import type { UsageRollup } from './usage-rollup.service.ts';
import { combineUsage, gapCapForInterval, type UsageComputation } from './usage.domain.ts';
import type { UsageCustomer, UsageDevice, UsageRepository } from './usage.repository.ts';

const DAY_MS = 86_400_000;
/**
 * Longest range per granularity, in days: as long as a table of that granularity stays readable
 * and the questions asked of it need. By day: a year and a month (this month against the same
 * month last year), 400 rows. By week: two years (this year's weeks against last year's), 105
 * rows. By month: five years of trend (the horizon of a compressor investment), 60 rows. The
 * figures come from stored day rows (kept warm by the rollup job), so cost grows with the days
 * of the range, not with its raw samples. One hour of slack: a range of local days across a
 * daylight-saving change is an hour longer.
 */
export const MAX_RANGE_DAYS: Readonly<Record<UsageGranularity, number>> = { day: 400, week: 731, month: 1827 };
const RANGE_NAMES: Readonly<Record<UsageGranularity, string>> = { day: '400 days', week: '2 years', month: '5 years' };

export interface UsageServiceDeps {
  usage: UsageRepository;
  rollup: UsageRollup;
  overview: OverviewRepository;
  /** The machines' plans: the overview's upcoming maintenance is their next service. */
  maintenance: Pick<MaintenanceService, 'plans'>;
  clock?: () => number;
}

export interface UsageSelector {
  deviceId?: string;
  siteId?: string;
}

interface ResolvedScope {
  scope: UsageScope;
  devices: UsageDevice[];
  customer: UsageCustomer;
}

export function createUsageService(deps: UsageServiceDeps) {
  const clock = deps.clock ?? Date.now;

  /** A foreign or unknown id is NOT_FOUND either way (OWASP API1: existence is not confirmed). */
  async function resolve(sel: UsageSelector, customerScope: string | null): Promise<ResolvedScope> {
    if ((sel.deviceId ? 1 : 0) + (sel.siteId ? 1 : 0) !== 1) throw new BadRequestError('give exactly one of deviceId or siteId');
    let scope: UsageScope;
    let devices: UsageDevice[];
    if (sel.deviceId) {
      const d = await deps.usage.device(sel.deviceId, customerScope);
      if (!d) throw new NotFoundError(`device ${sel.deviceId}`);
      devices = [d];
      scope = { kind: 'device', id: d.deviceId, name: d.serial, siteId: d.siteId, siteName: d.siteName, timezone: d.timezone, customerId: d.customerId };
    } else {
      const s = await deps.usage.site(sel.siteId!, customerScope);
      if (!s) throw new NotFoundError(`site ${sel.siteId}`);
      devices = s.devices;
      scope = { kind: 'site', id: s.id, name: s.name, siteId: s.id, siteName: s.name, timezone: s.timezone, customerId: s.customerId };
    }
    const customer = await deps.usage.customer(scope.customerId);
    if (!customer) throw new NotFoundError(`customer of ${scope.id}`);
    return { scope, devices, customer };
  }

  function parseBound(value: string | undefined, timeZone: string): number | undefined {
    if (value === undefined) return undefined;
    const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? localDateToUtc(value, timeZone) : Date.parse(value);
    if (!Number.isFinite(ms)) throw new BadRequestError(`invalid date ${value}`);
    return ms;
  }

  async function compute(r: ResolvedScope, fromMs: number, toMs: number, granularity: UsageGranularity): Promise<UsageComputation & { gapCapMs: Map<string, number>; rolledUpDays: number }> {
    const devices = r.devices.map((d) => ({ deviceId: d.deviceId, model: d.model, gapCapMs: gapCapForInterval(d.telemetryIntervalMs) }));
    const daily = await deps.rollup.daySums(devices, r.scope.timezone, fromMs, toMs);
    await rollUpPeers(r.devices, fromMs, toMs);
    const peers = await deps.usage.peerMedians(r.devices, fromMs, toMs);
    const computed = combineUsage({
      devices: r.devices.map((d) => ({ deviceId: d.deviceId, daySums: daily.perDevice.get(d.deviceId)!, peerMedian: peers.get(d.deviceId) ?? null })),
      days: daily.days,
      periods: periodsBetween(fromMs, toMs, granularity, r.scope.timezone),
      tariff: r.customer,
    });
    return { ...computed, gapCapMs: new Map(devices.map((d) => [d.deviceId, d.gapCapMs])), rolledUpDays: daily.fromRollup };
  }

  /**
   * Peers' figures come from their rolled-up whole days (never their raw telemetry per request):
   * make sure the settled ones exist, in each peer's own site time zone.
   */
  async function rollUpPeers(own: readonly UsageDevice[], fromMs: number, toMs: number): Promise<void> {
    const ownIds = new Set(own.map((d) => d.deviceId));
    const peers = (await deps.usage.peersOf([...new Set(own.map((d) => d.modelId))], fromMs, toMs)).filter((p) => !ownIds.has(p.deviceId));
    const byZone = new Map<string, UsageDevice[]>();
    for (const p of peers) byZone.set(p.timezone, [...(byZone.get(p.timezone) ?? []), p]);
    await Promise.all(
      [...byZone].map(async ([zone, list]) => {
        const first = startOfLocalDay(fromMs, zone) === fromMs ? fromMs : periodsBetween(fromMs, toMs, 'day', zone)[1]?.startMs;
        const last = startOfLocalDay(toMs, zone);
        if (first === undefined || first >= last) return;
        await deps.rollup.daySums(list.map((d) => ({ deviceId: d.deviceId, model: d.model, gapCapMs: gapCapForInterval(d.telemetryIntervalMs) })), zone, first, last);
      }),
    );
  }

  const tariffOf = (c: UsageCustomer) => ({ currency: c.currency, tariffPerKwh: c.tariffPerKwh, gridCo2KgPerKwh: c.gridCo2KgPerKwh });

  return {
    async usage(customerScope: string | null, q: UsageSelector & { from?: string; to?: string; granularity: UsageGranularity }): Promise<UsageResponse> {
      const r = await resolve(q, customerScope);
      const toMs = parseBound(q.to, r.scope.timezone) ?? clock();
      const fromMs = parseBound(q.from, r.scope.timezone) ?? toMs - 30 * DAY_MS;
      if (fromMs >= toMs) throw new BadRequestError('from must be before to');
      const maxDays = MAX_RANGE_DAYS[q.granularity];
      if (toMs - fromMs > maxDays * DAY_MS + DAY_MS / 24) {
        throw new RangeTooLongError(`a report by ${q.granularity} may span at most ${RANGE_NAMES[q.granularity]} (${maxDays} days); choose a coarser granularity or a shorter range`);
      }
      const c = await compute(r, fromMs, toMs, q.granularity);
      const byId = new Map(r.devices.map((d) => [d.deviceId, d]));
      return {
        scope: r.scope,
        tariff: tariffOf(r.customer),
        granularity: q.granularity,
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        gapCapMinutes: Math.max(0, ...c.gapCapMs.values()) / 60_000,
        rolledUpDays: c.rolledUpDays,
        rows: c.rows,
        totals: c.totals,
        machines: c.machines.map((m) => ({
          deviceId: m.deviceId,
          serial: byId.get(m.deviceId)!.serial,
          modelId: byId.get(m.deviceId)!.modelId,
          gapCapMinutes: c.gapCapMs.get(m.deviceId)! / 60_000,
          totals: m.totals,
        })),
      };
    },

    async savings(customerScope: string | null, q: UsageSelector & { days: number }, locale: ReportLocale): Promise<SavingsResponse> {
      const r = await resolve(q, customerScope);
      const toMs = clock();
      const fromMs = toMs - q.days * DAY_MS;
      return savingsFor(r, fromMs, toMs, q.days, locale);
    },

    async overview(customerScope: string | null, locale: ReportLocale): Promise<OverviewResponse> {
      const devices = await deps.usage.devicesOf(customerScope);
      const ids = devices.map((d) => d.deviceId);
      const [facts, plans] = await Promise.all([deps.overview.facts(ids), deps.maintenance.plans({ deviceIds: ids }, customerScope, DEFAULT_MAINTENANCE_HORIZON)]);
      const nextOf = new Map(plans.map((p) => [p.device.deviceId, p.plan]));
      return {
        customerId: customerScope,
        machines: devices.map((d) => {
          const f = facts.get(d.deviceId)!;
          // The next service as the plan page, the inbox and the parts lookup know it: one visit, its highest level.
          const plan = f.runningHours === null ? null : nextOf.get(d.deviceId);
          const next = plan?.nextService ?? null;
          return {
            deviceId: d.deviceId,
            serial: d.serial,
            modelId: d.modelId,
            modelName: d.modelName,
            siteId: d.siteId,
            siteName: d.siteName,
            online: f.online,
            state: f.state,
            lastSeenAt: f.lastSeenMs === null ? null : new Date(f.lastSeenMs).toISOString(),
            health: f.health,
            alerts: f.alarms.map((a) => ({ id: a.id, severity: a.severity, type: a.type, text: alertText(a.type, a.message, locale), since: new Date(a.startedMs).toISOString() })),
            maintenance: next
              ? [
                  {
                    level: next.level,
                    includes: next.includes,
                    dueInHours: next.dueInHours,
                    dueAt: next.dueAt,
                    overdue: next.overdue,
                    text: maintenanceText(next.level, next.dueInDays, next.overdue, locale, next.includes),
                  },
                ]
              : [],
          };
        }),
      };
    },

    /** The weekly report's figures for one site and week (the job calls this per site). */
    async week(siteId: string, weekStartMs: number, weekEndMs: number, locale: ReportLocale): Promise<{ usage: UsageComputation; savings: SavingsResponse; scope: UsageScope; customer: UsageCustomer }> {
      const r = await resolve({ siteId }, null);
      const usage = await compute(r, weekStartMs, weekEndMs, 'week');
      const savings = await savingsFor(r, weekStartMs, weekEndMs, (weekEndMs - weekStartMs) / DAY_MS, locale, usage);
      return { usage, savings, scope: r.scope, customer: r.customer };
    },

    async sitesOf(customerId: string): Promise<Array<{ siteId: string; timezone: string }>> {
      const devices = await deps.usage.devicesOf(customerId);
      const seen = new Map<string, string>();
      for (const d of devices) seen.set(d.siteId, d.timezone);
      return [...seen].map(([siteId, timezone]) => ({ siteId, timezone }));
    },
  };

  async function savingsFor(r: ResolvedScope, fromMs: number, toMs: number, days: number, locale: ReportLocale, precomputed?: UsageComputation): Promise<SavingsResponse> {
    const ids = r.devices.map((d) => d.deviceId);
    const [c, pressure] = await Promise.all([precomputed ?? compute(r, fromMs, toMs, 'month'), deps.usage.loadedPressure(ids, fromMs, toMs)]);
    const byId = new Map(r.devices.map((d) => [d.deviceId, d]));
    const opportunities = savingsAdvice({
      machines: c.machines.map((m) => {
        const d = byId.get(m.deviceId)!;
        return { deviceId: m.deviceId, label: `${d.modelId} ${d.serial}`, sums: m.sums, avgLoadedPressureBar: pressure.get(m.deviceId) ?? null, modelLoadBar: d.modelLoadBar };
      }),
      basisDays: days,
      tariff: r.customer,
      locale,
    });
    return {
      scope: r.scope,
      tariff: tariffOf(r.customer),
      basisFrom: new Date(fromMs).toISOString(),
      basisTo: new Date(toMs).toISOString(),
      opportunities,
      totalKwhPerYear: opportunities.reduce((a, o) => a + o.kwhPerYear, 0),
      totalMoneyPerYear: Math.round(opportunities.reduce((a, o) => a + o.moneyPerYear, 0) * 100) / 100,
    };
  }
}
export type UsageService = ReturnType<typeof createUsageService>;
