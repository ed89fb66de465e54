import { useQuery } from '@tanstack/react-query';
import { modelsResponseSchema, sitesResponseSchema, type CompressorModel, type Site } from '@airfleet/contracts';
import { api } from './api-client.ts';

/** Reference data shared by several features: models (rated figures, limits) and sites. */
export function useModels() {
  return useQuery({
    queryKey: ['catalogue', 'models'],
    queryFn: async ({ signal }) => {
      const { models } = await api.get('/api/models', modelsResponseSchema, signal);
      return new Map<string, CompressorModel>(models.map((m) => [m.id, m]));
    },
    staleTime: 60 * 60_000,
  });
}

export function useSites() {
  return useQuery({
    queryKey: ['catalogue', 'sites'],
    queryFn: async ({ signal }) => {
      const { sites } = await api.get('/api/sites', sitesResponseSchema, signal);
      return new Map<string, Site>(sites.map((s) => [s.id, s]));
    },
    staleTime: 10 * 60_000,
  });
}
