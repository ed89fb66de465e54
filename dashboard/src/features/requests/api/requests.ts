import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  overviewResponseSchema,
  partLookupResponseSchema,
  partsSearchResponseSchema,
  requestsResponseSchema,
  serviceRequestSchema,
  type CreateRequestBody,
} from '@airfleet/contracts';
import { api, isApiError, withQuery } from '../../../lib/api-client.ts';

const requestsKey = ['requests'] as const;

/** The user's own requests (the API scopes a customer to its own), newest first. */
export function useMyRequests() {
  return useQuery({
    queryKey: [...requestsKey, 'list'],
    queryFn: ({ signal }) => api.get(withQuery('/api/requests', { limit: 200 }), requestsResponseSchema, signal),
  });
}

/** null when it does not exist or is another customer's (404 for both). */
export function useRequest(id: string) {
  return useQuery({
    queryKey: [...requestsKey, 'one', id],
    queryFn: async ({ signal }) => {
      try {
        return await api.get(`/api/requests/${encodeURIComponent(id)}`, serviceRequestSchema, signal);
      } catch (err) {
        if (isApiError(err, 404) || isApiError(err, 400)) return null;
        throw err;
      }
    },
  });
}

export function useCreateRequest() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRequestBody) => api.post('/api/requests', body, serviceRequestSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: requestsKey }),
  });
}

/** The machines a request can be for. */
export function useRequestMachines(lang: string) {
  return useQuery({
    queryKey: ['customer', 'overview', lang],
    queryFn: ({ signal }) => api.get(withQuery('/api/customer/overview', { lang }), overviewResponseSchema, signal),
    staleTime: 60_000,
  });
}

/** A model's service kits (parts API), to attach one by plan level. */
export function useModelKits(modelId: string | null, lang: string) {
  return useQuery({
    queryKey: ['parts', 'model', modelId, lang],
    queryFn: async ({ signal }) => (await api.get(withQuery('/api/parts/search', { modelId: modelId!, lang, limit: 1 }), partsSearchResponseSchema, signal)).model,
    enabled: modelId !== null,
    staleTime: 60 * 60_000,
  });
}

/** Each typed number looked up (empty ones are not): the current part, or null when there is none. */
export function usePartLookups(typed: string[], lang: string) {
  return useQueries({
    queries: typed.map((n) => ({
      queryKey: ['parts', 'number', n, lang],
      queryFn: () => lookupPart(n, lang),
      enabled: n !== '',
      staleTime: 10 * 60_000,
    })),
  });
}

/** One part by a number typed any way; null when there is no such part. A superseded number answers the current part. */
async function lookupPart(typed: string, lang: string) {
  try {
    return await api.get(withQuery(`/api/parts/${encodeURIComponent(typed)}`, { lang }), partLookupResponseSchema);
  } catch (err) {
    if (isApiError(err, 404) || isApiError(err, 400)) return null;
    throw err;
  }
}
