import type pg from 'pg';
import type { Logger } from 'pino';
import { pruneOutbox } from './outbox.repository.ts';

/** The outbox is a hand-over, not a history: rows older than a day (and passed by every durable consumer) go. */
export function createOutboxPruning(opts: { pool: pg.Pool; log: Logger; keepMs?: number; everyMs?: number }) {
  const keepMs = opts.keepMs ?? 24 * 3_600_000;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const deleted = await pruneOutbox(opts.pool, keepMs);
      if (deleted > 0) opts.log.info({ deleted }, 'outbox pruned');
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'outbox pruning failed');
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
