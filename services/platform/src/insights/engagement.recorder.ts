import type { Logger } from '@airfleet/runtime';
import type { EngagementEvent, EngagementRepository } from './engagement.repository.ts';

export interface EngagementRecorderOptions {
  repo: EngagementRepository;
  log: Logger;
  clock?: () => number;
  /** Buffered events are written at least this often. */
  flushMs?: number;
  /** …or as soon as this many are buffered. */
  maxBatch?: number;
  /** A burst beyond this while the database is down is dropped (and logged), never unbounded memory. */
  maxBuffered?: number;
}

/**
 * Writes engagement events off the request path: record() only pushes to a buffer; a timer (or
 * a full batch) writes them in one statement. A failed write is logged and its events dropped:
 * engagement figures are statistics, and retrying would let an outage grow the buffer.
 */
export function createEngagementRecorder(opts: EngagementRecorderOptions) {
  const clock = opts.clock ?? Date.now;
  const flushMs = opts.flushMs ?? 1000;
  const maxBatch = opts.maxBatch ?? 200;
  const maxBuffered = opts.maxBuffered ?? 10_000;
  let buffer: EngagementEvent[] = [];
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> = Promise.resolve();
  let dropped = 0;
  /** Events whose user is still being resolved (a session cookie on a public route). */
  const resolving = new Set<Promise<void>>();

  function schedule(): void {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void write();
    }, flushMs);
    timer.unref();
  }

  async function flush(): Promise<void> {
    // What was recorded before this call includes events still resolving their user.
    if (resolving.size > 0) await Promise.allSettled([...resolving]);
    return write();
  }

  function write(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const batch = buffer;
    buffer = [];
    inFlight = inFlight.then(async () => {
      try {
        // Old events are deleted by the retention job (RETENTION_ENGAGEMENT_DAYS), not here.
        await opts.repo.insert(batch);
      } catch (err) {
        opts.log.error({ err, events: batch.length }, 'engagement events not recorded');
      }
    });
    return inFlight;
  }

  function record(event: Omit<EngagementEvent, 'atMs'> & { atMs?: number }): void {
    if (buffer.length >= maxBuffered) {
      if (dropped++ % 1000 === 0) opts.log.warn({ dropped }, 'engagement buffer full: events dropped');
      return;
    }
    buffer.push({ ...event, atMs: event.atMs ?? clock() });
    if (buffer.length >= maxBatch) void write();
    else schedule();
  }

  return {
    /** The recorder's clock (injected in tests), for events recorded later than they happened. */
    now: clock,
    record,
    /** Records an event once its user is known (resolved off the request path). */
    recordWhen(pending: Promise<Omit<EngagementEvent, 'atMs'> & { atMs?: number }>): void {
      const p = pending.then(record, (err: unknown) => opts.log.warn({ err }, 'engagement event dropped')).finally(() => resolving.delete(p));
      resolving.add(p);
    },
    /** Writes everything recorded so far (tests, shutdown). */
    flush,
  };
}
export type EngagementRecorder = ReturnType<typeof createEngagementRecorder>;
