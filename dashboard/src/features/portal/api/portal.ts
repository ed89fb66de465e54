import { useQueries, useQuery } from '@tanstack/react-query';
import { overviewResponseSchema, savingsResponseSchema, usageResponseSchema } from '@airfleet/contracts';
import { api, withQuery } from '../../../lib/api-client.ts';

export function useOverview(lang: string) {
  return useQuery({
    queryKey: ['customer', 'overview', lang],
    queryFn: ({ signal }) => api.get(withQuery('/api/customer/overview', { lang }), overviewResponseSchema, signal),
    staleTime: 60_000,
    // A page a plant manager leaves open on a wall screen stays current without a reload.
    refetchInterval: 60_000,
  });
}

/** Last week's energy, cost and CO₂ per site, with the yearly savings found there. */
export function useSiteWeeks(siteIds: string[], lang: string) {
  const week = useQueries({
    queries: siteIds.map((siteId) => ({
      queryKey: ['portal', 'week', siteId],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get(withQuery('/api/customer/usage', { siteId, from: new Date(Date.now() - 7 * 86_400_000).toISOString(), granularity: 'week' }), usageResponseSchema, signal),
      staleTime: 10 * 60_000,
    })),
  });
  const savings = useQueries({
    queries: siteIds.map((siteId) => ({
      queryKey: ['portal', 'savings', siteId, lang],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get(withQuery('/api/customer/savings', { siteId, lang }), savingsResponseSchema, signal),
      staleTime: 10 * 60_000,
    })),
  });
  return { week, savings };
}
