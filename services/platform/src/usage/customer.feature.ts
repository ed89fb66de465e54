import type pg from 'pg';
import type { Logger } from '@airfleet/runtime';
import { authenticateSessionCookie } from '../auth/session.ts';
import { createEngagementRecorder } from '../insights/engagement.recorder.ts';
import { createEngagementRepository } from '../insights/engagement.repository.ts';
import { createMaintenanceRepository } from '../maintenance/maintenance.repository.ts';
import { createMaintenanceService } from '../maintenance/maintenance.service.ts';
import { createDeviceServiceRepository } from '../rules/device-service.repository.ts';
import { createOverviewRepository } from './overview.repository.ts';
import { createReportSubscriptionsRepository } from './report-subscriptions.repository.ts';
import { createUsageRollupRepository } from './usage-rollup.repository.ts';
import { createUsageRollupJob, type UsageRollupJob } from './usage-rollup.job.ts';
import { createUsageRollup } from './usage-rollup.service.ts';
import { createUsageRepository } from './usage.repository.ts';
import { createUsageService } from './usage.service.ts';
import { createWeeklyReportJob, type WeeklyReportJob, type WeeklyReportJobDeps } from './weekly-report.job.ts';

/** Builds the customer usage, report and engagement parts once, for buildApp to register. */
export function createCustomerFeature(deps: { pool: pg.Pool; log: Logger; clock: () => number }) {
  const engagementRepo = createEngagementRepository(deps.pool);
  const recorder = createEngagementRecorder({ repo: engagementRepo, log: deps.log, clock: deps.clock });
  const subscriptions = createReportSubscriptionsRepository(deps.pool);
  const usage = usageServiceOn(deps);
  return {
    engagement: { recorder, resolveUser: (cookie: string | undefined) => authenticateSessionCookie(deps.pool, cookie, deps.clock()) },
    usage: { usage, subscriptions },
    insights: { engagement: engagementRepo, recorder, clock: deps.clock },
  };
}

/** The weekly email report job with its own usage service (main.ts starts it; tests call runOnce). */
export function createWeeklyReporting(deps: {
  pool: pg.Pool;
  log: Logger;
  send: WeeklyReportJobDeps['send'];
  clock?: () => number;
  intervalMs?: number;
  /** PUBLIC_URL: links in the report. */
  publicUrl?: string;
}): WeeklyReportJob {
  const usage = usageServiceOn({ pool: deps.pool, log: deps.log, clock: deps.clock ?? Date.now });
  return createWeeklyReportJob({ ...deps, usage, subscriptions: createReportSubscriptionsRepository(deps.pool) });
}

/** The usage service with its repositories and the daily rollup, on one pool. */
export function usageServiceOn(deps: { pool: pg.Pool; log: Logger; clock: () => number }) {
  return createUsageService({
    usage: createUsageRepository(deps.pool),
    rollup: createUsageRollup({ pool: deps.pool, rollup: createUsageRollupRepository(deps.pool), clock: deps.clock, log: deps.log }),
    overview: createOverviewRepository(deps.pool),
    maintenance: createMaintenanceService({ maintenance: createMaintenanceRepository(deps.pool), deviceService: createDeviceServiceRepository(deps.pool), clock: deps.clock }),
    clock: deps.clock,
  });
}

/** The background job keeping the daily usage rollup warm (main.ts starts it). */
export function createUsageRollupMaintenance(deps: { pool: pg.Pool; log: Logger; clock?: () => number; intervalMs?: number }): UsageRollupJob {
  const clock = deps.clock ?? Date.now;
  return createUsageRollupJob({
    pool: deps.pool,
    usage: createUsageRepository(deps.pool),
    rollup: createUsageRollup({ pool: deps.pool, rollup: createUsageRollupRepository(deps.pool), clock, log: deps.log }),
    log: deps.log,
    clock,
    intervalMs: deps.intervalMs,
  });
}
