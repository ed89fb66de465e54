import type pg from 'pg';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import type { PlatformEvents } from '../events/platform-events.ts';
import type { JudgmentsService } from '../judgments/judgments.service.ts';
import { createMaintenanceRepository } from '../maintenance/maintenance.repository.ts';
import { maintenanceRoutes } from '../maintenance/maintenance.routes.ts';
import { createMaintenanceService } from '../maintenance/maintenance.service.ts';
import { createRequestsRepository } from '../requests/requests.repository.ts';
import { requestsRoutes } from '../requests/requests.routes.ts';
import { createRequestsService } from '../requests/requests.service.ts';
import { createDeviceServiceRepository } from '../rules/device-service.repository.ts';
import { createWorkOrdersRepository } from '../work-orders/work-orders.repository.ts';
import { workOrdersRoutes } from '../work-orders/work-orders.routes.ts';
import { createWorkOrdersService } from '../work-orders/work-orders.service.ts';
import { createServiceAuditRepository } from './service-audit.repository.ts';
import { createServiceRepository } from './service.repository.ts';
import { serviceRoutes } from './service.routes.ts';
import { createServiceService } from './service.service.ts';

export interface ServiceFeaturesDeps {
  pool: pg.Pool;
  judgments: Pick<JudgmentsService, 'createJudgment'>;
  events?: PlatformEvents;
  /** Once-only consumers listen here (the work-order audit of a device's ack). */
  durableEvents?: PlatformEvents;
  log: Logger;
  clock: () => number;
}

/** Composition of the service team's features: maintenance plans, inbox, work orders, requests. */
export function createServiceFeatures(deps: ServiceFeaturesDeps) {
  const { pool, clock } = deps;
  const maintenanceRepo = createMaintenanceRepository(pool);
  const requestsRepo = createRequestsRepository(pool);
  const workOrdersRepo = createWorkOrdersRepository(pool);
  const serviceRepo = createServiceRepository(pool);
  const audit = createServiceAuditRepository(pool);
  const deviceService = createDeviceServiceRepository(pool);
  const maintenance = createMaintenanceService({ maintenance: maintenanceRepo, deviceService, clock });
  const service = createServiceService({ pool, service: serviceRepo, maintenance, requests: requestsRepo, workOrders: workOrdersRepo, audit, clock });
  const workOrders = createWorkOrdersService({
    pool,
    workOrders: workOrdersRepo,
    maintenance: maintenanceRepo,
    requests: requestsRepo,
    service: serviceRepo,
    audit,
    judgments: deps.judgments,
    deviceService,
    resolveItem: (key) => service.resolveItem(key),
    events: deps.events,
    durableEvents: deps.durableEvents,
    log: deps.log,
    clock,
  });
  const requests = createRequestsService({ pool, requests: requestsRepo, maintenance: maintenanceRepo, audit, events: deps.events, clock });
  return { maintenance, service, workOrders, requests };
}
export type ServiceFeatures = ReturnType<typeof createServiceFeatures>;

/** All their routes; register with prefix `/api`. */
export const serviceFeatureRoutes: FastifyPluginAsync<{ features: ServiceFeatures }> = async (app, { features }) => {
  app.addHook('onClose', async () => features.workOrders.close());
  await app.register(maintenanceRoutes, { maintenance: features.maintenance });
  await app.register(serviceRoutes, { service: features.service });
  await app.register(workOrdersRoutes, { workOrders: features.workOrders });
  await app.register(requestsRoutes, { requests: features.requests });
};
