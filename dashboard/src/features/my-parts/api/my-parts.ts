import { useQueries, useQuery } from '@tanstack/react-query';
import { overviewResponseSchema, partsSearchResponseSchema } from '@airfleet/contracts';
import { api, withQuery } from '../../../lib/api-client.ts';

export function useMyMachines(lang: string) {
  return useQuery({
    queryKey: ['customer', 'overview', lang],
    queryFn: ({ signal }) => api.get(withQuery('/api/customer/overview', { lang }), overviewResponseSchema, signal),
    staleTime: 60_000,
  });
}

/**
 * Each machine's BOM and next due kit, through the parts API by serial (the same lookup a
 * visitor of /parts makes, so both always agree).
 */
export function useMachinesParts(serials: string[], lang: string) {
  return useQueries({
    queries: serials.map((serial) => ({
      queryKey: ['parts', 'serial', serial, lang],
      queryFn: ({ signal }: { signal: AbortSignal }) => api.get(withQuery('/api/parts/search', { serial, lang, limit: 1 }), partsSearchResponseSchema, signal),
      staleTime: 10 * 60_000,
    })),
  });
}
