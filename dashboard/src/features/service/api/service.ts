import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  calendarResponseSchema,
  inboxAssignResponseSchema,
  inboxResponseSchema,
  techniciansResponseSchema,
  type InboxAssignBody,
  type InboxQuery,
} from '@airfleet/contracts';
import { api, isApiError, withQuery } from '../../../lib/api-client.ts';
import { useLiveRefetch } from '../../../lib/live-refetch.ts';

const inboxKey = ['service', 'inbox'] as const;
const calendarKey = ['service', 'calendar'] as const;

export interface InboxFilter {
  region?: string;
  siteId?: string;
  customerId?: string;
  /** A user id, or `unassigned`. */
  assignee?: string;
  kind?: InboxQuery['kind'];
}

/** null when this server has no service inbox (an older platform): the page says so instead of failing. */
export function useInbox(filter: InboxFilter) {
  const { assignee, ...rest } = filter;
  const query = { ...rest, ...(assignee === 'unassigned' ? { unassigned: 'true' } : { assigneeId: assignee }) };
  return useQuery({
    queryKey: [...inboxKey, filter],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(withQuery('/api/service/inbox', query), inboxResponseSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
    placeholderData: (previous) => previous,
  });
}

/** Anything that changes the queue (alarms, judgments, work orders, requests) refetches it. */
export function useInboxLiveSync(): void {
  useLiveRefetch(inboxKey, () => true, 500);
}

export function useTechnicians() {
  return useQuery({
    queryKey: ['service', 'technicians'],
    queryFn: async ({ signal }) => (await api.get('/api/service/technicians', techniciansResponseSchema, signal)).items,
    staleTime: 10 * 60_000,
  });
}

export function useAssign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: InboxAssignBody) => api.post('/api/service/inbox/assign', body, inboxAssignResponseSchema),
    onSettled: () => queryClient.invalidateQueries({ queryKey: inboxKey }),
  });
}

export interface CalendarFilter {
  days: 30 | 90;
  technicianId?: string;
  siteId?: string;
}

export function useCalendar(filter: CalendarFilter) {
  return useQuery({
    queryKey: [...calendarKey, filter],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(withQuery('/api/service/calendar', { ...filter }), calendarResponseSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
    placeholderData: (previous) => previous,
  });
}

export function useCalendarLiveSync(): void {
  useLiveRefetch(calendarKey, (m) => m.kind.startsWith('work') || m.kind.startsWith('maintenance'), 500);
}
