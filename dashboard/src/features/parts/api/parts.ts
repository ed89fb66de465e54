import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { partsSearchResponseSchema, type PartLang } from '@airfleet/contracts';
import { api, withQuery } from '../../../lib/api-client.ts';

export interface PartsSearchParams {
  q?: string;
  modelId?: string;
  serial?: string;
  lang: PartLang;
}

export function partLang(language: string): PartLang {
  return language === 'zh-CN' ? 'zh-CN' : 'en';
}

/** The public lookup (no session needed). Disabled until there is something to look up. */
export function usePartsSearch(params: PartsSearchParams) {
  const enabled = Boolean(params.q || params.modelId || params.serial);
  return useQuery({
    queryKey: ['parts', 'search', params],
    queryFn: ({ signal }) => api.get(withQuery('/api/parts/search', { ...params, limit: 30 }), partsSearchResponseSchema, signal),
    enabled,
    // Keep showing the last answer while the language or the query changes.
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}
