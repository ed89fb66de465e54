import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  deviceMaintenanceSchema,
  deviceSchema,
  devicesResponseSchema,
  techniciansResponseSchema,
  workOrderDetailSchema,
  workOrderSchema,
  workOrdersResponseSchema,
  type CancelWorkOrderBody,
  type CompleteWorkOrderBody,
  type CreateWorkOrderBody,
  type PatchWorkOrderBody,
  type ScheduleWorkOrderBody,
  type WorkOrdersQuery,
} from '@airfleet/contracts';
import { api, isApiError, withQuery } from '../../../lib/api-client.ts';
import { useLiveRefetch } from '../../../lib/live-refetch.ts';

const workOrdersKey = ['work-orders'] as const;

export type WorkOrdersFilter = Partial<Pick<WorkOrdersQuery, 'status' | 'assigneeId' | 'deviceId' | 'siteId'>>;

/** null when this server has no work orders (an older platform). */
export function useWorkOrders(filter: WorkOrdersFilter) {
  return useQuery({
    queryKey: [...workOrdersKey, 'list', filter],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(withQuery('/api/work-orders', { limit: 200, ...filter }), workOrdersResponseSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
    placeholderData: (previous) => previous,
  });
}

/** null when the work order does not exist or is not the user's (404 for both). */
export function useWorkOrder(id: string) {
  return useQuery({
    queryKey: [...workOrdersKey, 'detail', id],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(`/api/work-orders/${encodeURIComponent(id)}`, workOrderDetailSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
  });
}

/**
 * The level the machine's next service now needs (`nextService.level`), for a live order's level
 * hint; null without a plan or maintenance API. Under the work-orders key: an edit or a live
 * work-order notice refetches it with the order.
 */
export function useNextServiceLevel(deviceId: string, enabled: boolean) {
  return useQuery({
    queryKey: [...workOrdersKey, 'next-service', deviceId],
    queryFn: async ({ signal }) => {
      try {
        const plan = await api.get(`/api/devices/${encodeURIComponent(deviceId)}/maintenance`, deviceMaintenanceSchema, signal);
        return plan.nextService?.level ?? null;
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
    enabled,
  });
}

/**
 * Work orders change from other people's screens and from the machine itself (its answer to
 * the service_reset judgment): refetch on those notifications, coalesced.
 */
export function useWorkOrdersLiveSync(deviceId?: string): void {
  useLiveRefetch(workOrdersKey, (m) => m.kind.startsWith('work') || (deviceId !== undefined && m.kind === 'judgment' && m.deviceId === deviceId));
}

export function useTechnicianList() {
  return useQuery({
    queryKey: ['service', 'technicians'],
    queryFn: async ({ signal }) => (await api.get('/api/service/technicians', techniciansResponseSchema, signal)).items,
    staleTime: 10 * 60_000,
  });
}

/** The machine's latest running hours pre-fill the completion form. */
export function useDeviceForWorkOrder(deviceId: string | undefined) {
  return useQuery({
    queryKey: ['work-orders', 'device', deviceId],
    queryFn: ({ signal }) => api.get(`/api/devices/${encodeURIComponent(deviceId ?? '')}`, deviceSchema, signal),
    enabled: deviceId !== undefined,
    staleTime: 30_000,
  });
}

/** Machines to pick from when a work order is created by hand. */
export function useDeviceChoices(enabled: boolean) {
  return useQuery({
    queryKey: ['work-orders', 'device-choices'],
    queryFn: async ({ signal }) => (await api.get('/api/devices?limit=1000', devicesResponseSchema, signal)).items,
    enabled,
    staleTime: 5 * 60_000,
  });
}

export function useCreateWorkOrder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateWorkOrderBody) => api.post('/api/work-orders', body, workOrderSchema),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: workOrdersKey });
      // The inbox shows which items have a work order.
      void queryClient.invalidateQueries({ queryKey: ['service'] });
    },
  });
}

type Transition =
  | { action: 'schedule'; body: ScheduleWorkOrderBody }
  | { action: 'start'; body: Record<string, never> }
  | { action: 'complete'; body: CompleteWorkOrderBody }
  | { action: 'cancel'; body: CancelWorkOrderBody };

/** open → scheduled → in progress → done | cancelled; the server enforces the allowed steps. */
export function useWorkOrderTransition(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (t: Transition) => api.post(`/api/work-orders/${encodeURIComponent(id)}/${t.action}`, t.body, workOrderSchema),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: workOrdersKey });
      void queryClient.invalidateQueries({ queryKey: ['service'] });
      void queryClient.invalidateQueries({ queryKey: ['maintenance'] });
    },
  });
}

export function usePatchWorkOrder(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PatchWorkOrderBody) => api.patch(`/api/work-orders/${encodeURIComponent(id)}`, body, workOrderSchema),
    onSettled: () => queryClient.invalidateQueries({ queryKey: workOrdersKey }),
  });
}
