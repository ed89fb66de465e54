import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import {
  alarmCountsResponseSchema,
  alarmSchema,
  alarmsResponseSchema,
  ALARM_SEVERITIES,
  type AlarmSeverity,
  type AlarmsQuery,
} from '@airfleet/contracts';
import { api, isApiError, withQuery } from '../../../lib/api-client.ts';
import { useLiveMessages } from '../../../lib/live.tsx';

const alarmsKey = ['alarms'] as const;

export type AlarmsFilter = Pick<AlarmsQuery, 'state'> & Partial<Pick<AlarmsQuery, 'severity' | 'siteId' | 'deviceId' | 'limit'>>;

/** null when this server has no alarms API (an older platform): the UI says so instead of failing. */
export function useAlarms(filter: AlarmsFilter) {
  return useQuery({
    queryKey: [...alarmsKey, 'list', filter],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(withQuery('/api/alarms', { limit: 200, ...filter }), alarmsResponseSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
    placeholderData: (previous) => previous,
  });
}

export interface DeviceAlarmCount {
  total: number;
  worst: AlarmSeverity | null;
}

/** Active alarms per machine for the fleet list; null when unavailable. */
export function useActiveAlarmCounts() {
  return useQuery({
    queryKey: [...alarmsKey, 'counts', 'device'],
    queryFn: async ({ signal }): Promise<Map<string, DeviceAlarmCount> | null> => {
      try {
        const { items } = await api.get('/api/alarms/counts?groupBy=device&state=active', alarmCountsResponseSchema, signal);
        return new Map(
          items.map((c) => [c.key, { total: c.total, worst: ALARM_SEVERITIES.find((s) => c[s] > 0) ?? null }]),
        );
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
  });
}

function useAlarmAction(action: 'ack' | 'clear') {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/alarms/${encodeURIComponent(id)}/${action}`, {}, alarmSchema),
    onSettled: () => queryClient.invalidateQueries({ queryKey: alarmsKey }),
  });
}
export const useAcknowledgeAlarm = () => useAlarmAction('ack');
export const useClearAlarm = () => useAlarmAction('clear');

/**
 * Alarms change when the platform says so (domain `alarm` notifications) or when a device
 * reports a trip or warning; refetch then, coalescing bursts into one request.
 */
export function useAlarmsLiveSync(): void {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refetchSoon = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void queryClient.invalidateQueries({ queryKey: alarmsKey }), 300);
  };
  useEffect(() => () => clearTimeout(timer.current), []);
  useLiveMessages((message) => {
    if (message.type === 'domain' && message.kind.startsWith('alarm')) refetchSoon();
    else if (message.type === 'event' && (message.event.type === 'trip' || message.event.type === 'warning')) refetchSoon();
    else if (message.type === 'resync') refetchSoon();
  }, refetchSoon);
}
