import { useQuery, useQueryClient } from '@tanstack/react-query';
import { devicesResponseSchema, type Device } from '@airfleet/contracts';
import { api, withQuery } from '../../../lib/api-client.ts';
import { useLiveMessages } from '../../../lib/live.tsx';
import { applyStatus, applyTelemetry } from './fleet-updates.ts';

export const fleetQueryKey = ['fleet', 'devices'] as const;

/** The API's largest page. */
const PAGE = 1000;
const PARALLEL_PAGES = 4;

/**
 * Every machine the user may see, in memory: filtering and sorting 10k rows on the client
 * takes milliseconds, and live updates can then patch rows in place.
 */
async function fetchFleet(signal: AbortSignal): Promise<Device[]> {
  const first = await api.get(withQuery('/api/devices', { limit: PAGE, offset: 0 }), devicesResponseSchema, signal);
  const offsets: number[] = [];
  for (let offset = PAGE; offset < first.total; offset += PAGE) offsets.push(offset);
  const pages: Device[][] = [first.items];
  for (let i = 0; i < offsets.length; i += PARALLEL_PAGES) {
    const batch = offsets.slice(i, i + PARALLEL_PAGES);
    const results = await Promise.all(batch.map((offset) => api.get(withQuery('/api/devices', { limit: PAGE, offset }), devicesResponseSchema, signal)));
    for (const r of results) pages.push(r.items);
  }
  // A device created while paging can shift a page boundary: keep each id once.
  const seen = new Map<string, Device>();
  for (const page of pages) for (const d of page) seen.set(d.id, d);
  return [...seen.values()];
}

export function useFleetDevices() {
  return useQuery({
    queryKey: fleetQueryKey,
    queryFn: ({ signal }) => fetchFleet(signal),
    // Kept current by the live channel, not by refetching.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/**
 * Keeps the cached fleet current from the live channel while the app is open (mounted once
 * by the app layout, so the list is fresh whenever the fleet page is shown again).
 */
export function useFleetLiveSync(): void {
  const queryClient = useQueryClient();
  useLiveMessages(
    (message) => {
      if (message.type === 'telemetry') {
        queryClient.setQueryData<Device[]>(fleetQueryKey, (old) => (old ? applyTelemetry(old, message.items) : old));
      } else if (message.type === 'status') {
        queryClient.setQueryData<Device[]>(fleetQueryKey, (old) => (old ? applyStatus(old, message.items) : old));
      } else if (message.type === 'resync') {
        void queryClient.invalidateQueries({ queryKey: fleetQueryKey });
      }
    },
    () => void queryClient.invalidateQueries({ queryKey: fleetQueryKey }),
  );
}
