import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { deviceSchema, telemetrySeriesSchema, type Device, type LiveTelemetryItem, type MetricKey } from '@airfleet/contracts';
import { api, isApiError, withQuery } from '../../../lib/api-client.ts';
import { useLiveMessages } from '../../../lib/live.tsx';

const machineKey = (id: string) => ['machine', id] as const;

/** null when the machine does not exist or is not the user's (the API answers 404 for both). */
export function useMachine(id: string) {
  return useQuery({
    queryKey: machineKey(id),
    queryFn: async ({ signal }): Promise<Device | null> => {
      try {
        return await api.get(`/api/devices/${encodeURIComponent(id)}`, deviceSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function applyLiveSample(device: Device, item: LiveTelemetryItem): Device {
  if (device.latest && Date.parse(device.latest.ts) > item.ts) return device;
  return {
    ...device,
    online: true,
    lastSeenAt: new Date(item.receivedAt).toISOString(),
    latest: { ts: new Date(item.ts).toISOString(), seq: item.seq, state: item.state, metrics: item.metrics },
  };
}

/** Live values of the open machine: its samples and online state patch the cached device. */
export function useMachineLiveSync(id: string): void {
  const queryClient = useQueryClient();
  useLiveMessages(
    (message) => {
      if (message.type === 'telemetry') {
        const item = message.items.find((i) => i.deviceId === id);
        if (item) queryClient.setQueryData<Device | null>(machineKey(id), (d) => (d ? applyLiveSample(d, item) : d));
      } else if (message.type === 'status') {
        const item = message.items.find((i) => i.deviceId === id);
        if (item) {
          queryClient.setQueryData<Device | null>(machineKey(id), (d) =>
            d ? { ...d, online: item.online, firmware: item.firmware ?? d.firmware, statusAt: new Date(item.at).toISOString() } : d,
          );
        }
      } else if (message.type === 'resync') {
        void queryClient.invalidateQueries({ queryKey: machineKey(id) });
      }
    },
    () => void queryClient.invalidateQueries({ queryKey: machineKey(id) }),
  );
}

export interface TelemetryRequest {
  id: string;
  from: number;
  to: number;
  metrics: readonly MetricKey[];
  maxPoints: number;
}

/**
 * Server-side buckets (avg/min/max) for a window: a zoom asks again with the narrower
 * window and gets finer buckets. The previous data stays on screen while the next loads.
 */
export function useTelemetry(req: TelemetryRequest, enabled = true) {
  return useQuery({
    queryKey: ['telemetry', req.id, req.from, req.to, req.metrics.join(','), req.maxPoints],
    queryFn: ({ signal }) =>
      api.get(
        withQuery(`/api/devices/${encodeURIComponent(req.id)}/telemetry`, { from: req.from, to: req.to, metrics: req.metrics.join(','), maxPoints: req.maxPoints }),
        telemetrySeriesSchema,
        signal,
      ),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    enabled,
  });
}
