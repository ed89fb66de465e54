import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  overviewResponseSchema,
  reportSubscriptionSchema,
  savingsResponseSchema,
  usageResponseSchema,
  type ReportSubscriptionBody,
  type UsageGranularity,
} from '@airfleet/contracts';
import { api, isApiError, withQuery } from '../../../lib/api-client.ts';

/** What a usage view shows: one machine or one site, a local-date range, a period length. */
export interface UsageSelection {
  deviceId?: string;
  siteId?: string;
  /** `YYYY-MM-DD`, inclusive, in the site's time zone. */
  from: string;
  /** `YYYY-MM-DD`, exclusive. */
  to: string;
  granularity: UsageGranularity;
}

function scopeQuery(sel: Pick<UsageSelection, 'deviceId' | 'siteId'>) {
  return sel.deviceId ? { deviceId: sel.deviceId } : { siteId: sel.siteId };
}

export function usagePath(sel: UsageSelection, extra: Record<string, string> = {}): string {
  return withQuery('/api/customer/usage', { ...scopeQuery(sel), from: sel.from, to: sel.to, granularity: sel.granularity, ...extra });
}

/** A usage table as a CSV file: the server writes it, so it holds exactly what the API reports. */
export function usageCsvPath(sel: UsageSelection, lang: string, table: 'periods' | 'machines' = 'periods'): string {
  return usagePath(sel, { format: 'csv', lang, table });
}

export function useUsage(sel: UsageSelection | null) {
  return useQuery({
    queryKey: ['usage', sel],
    queryFn: ({ signal }) => api.get(usagePath(sel!), usageResponseSchema, signal),
    enabled: sel !== null && Boolean(sel.deviceId || sel.siteId),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** Savings advice; the server words the assumptions in the asked language. */
export function useSavings(scope: { deviceId?: string; siteId?: string } | null, lang: string) {
  return useQuery({
    queryKey: ['usage', 'savings', scope, lang],
    queryFn: ({ signal }) => api.get(withQuery('/api/customer/savings', { ...scopeQuery(scope!), lang }), savingsResponseSchema, signal),
    enabled: scope !== null && Boolean(scope.deviceId || scope.siteId),
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** The machines the user may see, with their sites (to choose a scope). */
export function useMachineChoices(lang: string) {
  return useQuery({
    queryKey: ['customer', 'overview', lang],
    queryFn: ({ signal }) => api.get(withQuery('/api/customer/overview', { lang }), overviewResponseSchema, signal),
    staleTime: 60_000,
  });
}

const subscriptionKey = ['usage', 'report-subscription'] as const;

/** null for users without a subscription (the API answers 403/404 for non-customers). */
export function useReportSubscription() {
  return useQuery({
    queryKey: subscriptionKey,
    queryFn: async ({ signal }) => {
      try {
        return await api.get('/api/customer/report-subscription', reportSubscriptionSchema, signal);
      } catch (err) {
        if (isApiError(err, 403) || isApiError(err, 404)) return null;
        throw err;
      }
    },
  });
}

export function useSaveReportSubscription() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ReportSubscriptionBody) => api.put('/api/customer/report-subscription', body, reportSubscriptionSchema),
    onSuccess: (data) => queryClient.setQueryData(subscriptionKey, data),
  });
}
