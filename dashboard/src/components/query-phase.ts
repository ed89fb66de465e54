/**
 * What a page shows for one query, decided in one place so every list page behaves alike:
 * a spinner while the first answer is on its way, an error when it failed, "not available"
 * when the server has no such API (the feature hooks answer null on 404), the empty message
 * when there is nothing to list, else the content.
 */
export type QueryPhase = 'loading' | 'error' | 'unavailable' | 'empty' | 'ready';

/** The part of a TanStack Query result the phase depends on. */
export interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  data: T | undefined;
  /** 'idle' with no data: the query is disabled (nothing chosen yet), not loading. */
  fetchStatus?: 'fetching' | 'paused' | 'idle';
}

export function queryPhase<T>(query: QueryLike<T>, isEmpty?: (data: NonNullable<T>) => boolean): QueryPhase {
  if (query.isPending && query.fetchStatus !== 'idle') return 'loading';
  if (query.isError) return 'error';
  const data = query.data;
  if (data === null || data === undefined) return 'unavailable';
  return isEmpty?.(data) ? 'empty' : 'ready';
}

/** A page of a longer list (`{ items, total }`): how many are shown of how many, when some are left out. */
export function leftOut(data: unknown): { shown: number; total: number } | null {
  if (typeof data !== 'object' || data === null) return null;
  const { items, total } = data as { items?: unknown; total?: unknown };
  if (!Array.isArray(items) || typeof total !== 'number' || total <= items.length) return null;
  return { shown: items.length, total };
}
