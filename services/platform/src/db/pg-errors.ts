/**
 * PostgreSQL and pool failures that are not bugs but load: the error handler answers them as
 * 503 with a stable code instead of a 500.
 */

/** SQLSTATE 57014 query_canceled: the pool's statement_timeout (nothing else cancels API statements). */
export function isStatementTimeout(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === '57014';
}

/** pg-pool found no free connection within connectionTimeoutMillis (the message is its only mark). */
export function isPoolExhausted(err: unknown): boolean {
  return err instanceof Error && err.message === 'timeout exceeded when trying to connect';
}
