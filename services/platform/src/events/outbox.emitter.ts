import type pg from 'pg';
import type { Logger } from 'pino';
import type { PlatformEvent } from '@airfleet/contracts';
import { appendOutbox } from './outbox.repository.ts';
import type { PlatformEvents } from './platform-events.ts';

/**
 * The deployed PlatformEvents: `emit` writes to the outbox (after the caller's commit; events
 * of one tick share one INSERT), `on` listens to the local bus that this instance's relay feeds.
 * So an alarm acknowledged on one platform instance reaches live dashboards on all of them.
 * Producers that own a transaction (the ingest pipeline) append inside it instead.
 */
export function createOutboxEvents(opts: { pool: pg.Pool; log: Logger; local: PlatformEvents }): PlatformEvents & { flush(): Promise<void> } {
  let buffer: PlatformEvent[] = [];
  let writing: Promise<void> = Promise.resolve();

  const flush = (): Promise<void> => {
    const events = buffer;
    buffer = [];
    if (events.length === 0) return writing;
    writing = writing
      .then(() => appendOutbox(opts.pool, events))
      .catch((err: Error) => opts.log.error({ err: err.message, lost: events.length }, 'outbox append failed; these events reach no other process'));
    return writing;
  };

  return {
    emit(name, payload) {
      // Telemetry reaches the outbox from the ingest transaction only (as device ids).
      if (name === 'telemetry') return;
      if (buffer.length === 0) queueMicrotask(() => void flush());
      buffer.push({ name, payload } as PlatformEvent);
    },
    on: opts.local.on,
    listeners: opts.local.listeners,
    flush,
  };
}
