import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  notificationPreferencesResponseSchema,
  notificationResponseSchema,
  notificationsResponseSchema,
  webhooksResponseSchema,
  webhookTestResponseSchema,
  type NotificationsQuery,
  type UpdateNotificationPreferencesBody,
} from '@airfleet/contracts';
import { api, isApiError, withQuery } from '../../../lib/api-client.ts';

const notificationsKey = ['notifications'] as const;
const preferencesKey = [...notificationsKey, 'preferences'] as const;

/** null when this server has no notifications API. */
export function usePreferences() {
  return useQuery({
    queryKey: preferencesKey,
    queryFn: async ({ signal }) => {
      try {
        return await api.get('/api/notifications/preferences', notificationPreferencesResponseSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
  });
}

export function useSavePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateNotificationPreferencesBody) => api.put('/api/notifications/preferences', body, notificationPreferencesResponseSchema),
    onSuccess: (saved) => queryClient.setQueryData(preferencesKey, saved),
  });
}

export type NotificationsFilter = Partial<Pick<NotificationsQuery, 'status' | 'kind' | 'channel'>>;

export function useNotificationLog(filter: NotificationsFilter) {
  return useQuery({
    queryKey: [...notificationsKey, 'log', filter],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(withQuery('/api/notifications', { limit: 200, ...filter }), notificationsResponseSchema, signal);
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
    placeholderData: (previous) => previous,
    // Deliveries and retries happen in the background: keep the log roughly current while open.
    refetchInterval: 30_000,
  });
}

export function useRetryNotification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/notifications/${encodeURIComponent(id)}/retry`, {}, notificationResponseSchema),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...notificationsKey, 'log'] }),
  });
}

export function useWebhooks() {
  return useQuery({
    queryKey: [...notificationsKey, 'webhooks'],
    queryFn: async ({ signal }) => {
      try {
        return (await api.get('/api/webhooks', webhooksResponseSchema, signal)).items;
      } catch (err) {
        if (isApiError(err, 404)) return null;
        throw err;
      }
    },
  });
}

export function useTestWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post(`/api/webhooks/${encodeURIComponent(id)}/test`, {}, webhookTestResponseSchema),
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });
}
