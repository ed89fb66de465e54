import { errorBodySchema } from '@airfleet/contracts';
import type { z } from 'zod';

/**
 * The dashboard's one HTTP client. Same-origin requests carry the httpOnly session cookie;
 * every response body is parsed with its zod schema from @airfleet/contracts, so a shape
 * the UI does not understand fails loudly here instead of rendering garbage.
 */
export class ApiError extends Error {
  readonly status: number;
  /** The platform's stable error code (`UNAUTHENTICATED`, `NOT_FOUND`, …), or `NETWORK`/`BAD_RESPONSE`. */
  readonly code: string;
  readonly requestId: string | null;

  constructor(status: number, code: string, message: string, requestId: string | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

export function isApiError(err: unknown, status?: number): err is ApiError {
  return err instanceof ApiError && (status === undefined || err.status === status);
}

type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Listeners for 401 answers: the session layer signs the user out once, wherever it happened. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function request<S extends z.ZodType>(method: string, path: string, schema: S | null, body?: unknown, signal?: AbortSignal): Promise<z.output<S>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', (err as Error).message);
  }
  if (!res.ok) {
    const parsed = errorBodySchema.safeParse(await res.json().catch(() => null));
    if (res.status === 401 && !path.startsWith('/api/auth/login')) for (const l of unauthorizedListeners) l();
    throw parsed.success
      ? new ApiError(res.status, parsed.data.code, parsed.data.message, parsed.data.requestId)
      : new ApiError(res.status, `HTTP_${res.status}`, res.statusText);
  }
  if (schema === null || res.status === 204) return undefined as z.output<S>;
  const result = schema.safeParse(await res.json());
  if (!result.success) {
    throw new ApiError(res.status, 'BAD_RESPONSE', `unexpected response from ${method} ${path.split('?')[0]}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  }
  return result.data;
}

export const api = {
  get: <S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal) => request('GET', path, schema, undefined, signal),
  post: <S extends z.ZodType>(path: string, body: unknown, schema: S | null) => request('POST', path, schema, body),
  put: <S extends z.ZodType>(path: string, body: unknown, schema: S | null) => request('PUT', path, schema, body),
  patch: <S extends z.ZodType>(path: string, body: unknown, schema: S | null) => request('PATCH', path, schema, body),
};
