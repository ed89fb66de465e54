import { useQuery } from '@tanstack/react-query';
import { deviceMaintenanceSchema, serviceHistoryResponseSchema } from '@airfleet/contracts';
import { api, isApiError } from '../../../lib/api-client.ts';
import { useLiveRefetch } from '../../../lib/live-refetch.ts';

const maintenanceKey = ['maintenance'] as const;

/** A machine's plan per level; null when this server has no maintenance API or the machine is not the user's. */
export function useDeviceMaintenance(deviceId: string) {
  return useQuery({
    queryKey: [...maintenanceKey, 'plan', deviceId],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(`/api/devices/${encodeURIComponent(deviceId)}/maintenance`, deviceMaintenanceSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
    staleTime: 60_000,
  });
}

export function useServiceHistory(deviceId: string) {
  return useQuery({
    queryKey: [...maintenanceKey, 'history', deviceId],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(`/api/devices/${encodeURIComponent(deviceId)}/service-history`, serviceHistoryResponseSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
  });
}

/** A completed work order or the machine's acknowledgement of its reset changes both. */
export function useMaintenanceLiveSync(deviceId: string): void {
  useLiveRefetch(maintenanceKey, (m) => m.deviceId === deviceId && (m.kind.startsWith('work') || m.kind === 'judgment' || m.kind.startsWith('maintenance')), 500);
}
