import { findModel, type DeviceMaintenance, type NextService, type ServiceHistoryResponse } from '@airfleet/contracts';
import { NotFoundError } from '../http/errors.catalogue.ts';
import type { DeviceServiceRepository } from '../rules/device-service.repository.ts';
import type { DeviceContext } from '../service/inbox.domain.ts';
import { DEFAULT_MAINTENANCE_HORIZON, maintenancePlan, USAGE_WINDOW_DAYS } from './maintenance-plan.domain.ts';
import type { CustomerScope, DeviceFilter, MaintenanceRepository } from './maintenance.repository.ts';

export interface MaintenanceServiceDeps {
  maintenance: MaintenanceRepository;
  deviceService: DeviceServiceRepository;
  clock: () => number;
}

export interface Horizon {
  days: number;
  hours: number;
}

export function createMaintenanceService(deps: MaintenanceServiceDeps) {
  /** Plans of every machine matching the filter, with each machine's context. */
  async function plans(filter: DeviceFilter, scope: CustomerScope, horizon: Horizon): Promise<Array<{ device: DeviceContext; plan: DeviceMaintenance }>> {
    const now = deps.clock();
    const devices = await deps.maintenance.devices(filter, scope);
    const ids = devices.map((d) => d.deviceId);
    const [records, oldest] = await Promise.all([deps.deviceService.load(ids), deps.maintenance.oldestReadings(ids, now - USAGE_WINDOW_DAYS * 86_400_000)]);
    const out: Array<{ device: DeviceContext; plan: DeviceMaintenance }> = [];
    for (const d of devices) {
      const model = findModel(d.modelId);
      if (!model) continue;
      const { latest, ...device } = d;
      const newest = latest && latest.runningHours !== null ? { ts: latest.ts, runningHours: latest.runningHours } : null;
      const plan = maintenancePlan({
        device: { deviceId: d.deviceId, modelId: d.modelId, siteId: d.siteId, customerId: d.customerId },
        plan: model.servicePlan,
        limits: model.limits,
        records: records.get(d.deviceId) ?? [],
        runningHours: latest?.runningHours ?? null,
        usage: { oldest: oldest.get(d.deviceId) ?? null, newest },
        condition: latest ? { separatorDpBar: latest.separatorDpBar, airFilterDpMbar: latest.airFilterDpMbar, ts: latest.ts } : null,
        horizon,
        now,
      });
      out.push({ device, plan });
    }
    return out;
  }

  return {
    plans,

    /** GET /api/devices/{id}/maintenance; another customer's machine answers 404. */
    async planFor(deviceId: string, scope: CustomerScope, horizon: Horizon): Promise<DeviceMaintenance> {
      const found = await plans({ deviceIds: [deviceId] }, scope, horizon);
      if (!found[0]) throw new NotFoundError(`device ${deviceId}`);
      return found[0].plan;
    },

    /** The next service of one machine (any customer's: the public parts lookup by serial shows only level, hours and kit). */
    async nextService(deviceId: string): Promise<NextService | null> {
      const found = await plans({ deviceIds: [deviceId] }, null, DEFAULT_MAINTENANCE_HORIZON);
      return found[0]?.plan.runningHours === null ? null : (found[0]?.plan.nextService ?? null);
    },

    async history(deviceId: string, scope: CustomerScope): Promise<ServiceHistoryResponse> {
      const found = await deps.maintenance.devices({ deviceIds: [deviceId] }, scope);
      if (!found[0]) throw new NotFoundError(`device ${deviceId}`);
      return { deviceId, items: await deps.maintenance.history(deviceId) };
    },
  };
}
export type MaintenanceService = ReturnType<typeof createMaintenanceService>;
