import type pg from 'pg';
import type { Logger } from 'pino';
import { runExclusive } from '../db/job-lease.ts';
import { pruneOutbox } from './outbox.repository.ts';

/** The outbox is a hand-over, not a history: rows older than a day (and passed by every durable consumer) go. */
export function createOutboxPruning(opts: { pool: pg.Pool; log: Logger; keepMs?: number; everyMs?: number }) {
  const keepMs = opts.keepMs ?? 24 * 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  /** One run, on one platform instance at a time; false when skipped (running here, or another instance holds the lease). */
  const run = async (): Promise<boolean> => {
    if (running) return false;
    running = true;
    try {
      const r = await runExclusive(opts.pool, 'outbox-pruning', () => pruneOutbox(opts.pool, keepMs));
      if (r.ran && r.value > 0) opts.log.info({ deleted: r.value }, 'outbox pruned');
      return r.ran;
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'outbox pruning failed');
      return false;
    } finally {
      running = false;
    }
  };
  return {
    run,
    start(): void {
      timer = setInterval(() => void run(), opts.everyMs ?? 10 * 60_000);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
