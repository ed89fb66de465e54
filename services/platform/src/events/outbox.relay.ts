import type pg from 'pg';
import type { Logger } from 'pino';
import { OUTBOX_CHANNEL, type PlatformEvent } from '@airfleet/contracts';
import { listenChannel, type ChannelListener } from '../db/pg-listen.ts';
import { loadCursor, outboxHead, readOutbox, saveCursor, type OutboxPosition } from './outbox.repository.ts';

export interface OutboxRelayOptions {
  pool: pg.Pool;
  log: Logger;
  /**
   * Set for a once-only consumer (notifications, audit): its position is kept in
   * `outbox_cursors`, and of all the instances only the one holding its advisory lock reads.
   * Unset: a live reader that starts at the head and keeps its position in memory.
   */
  durable?: string;
  /** Handles one page in order; the position advances only after it resolves (at least once). */
  deliver: (events: PlatformEvent[]) => Promise<void> | void;
  /** Safety net for lost notifications and for rows held back by a long transaction. */
  pollIntervalMs?: number;
  pageSize?: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Reads and delivers everything visible now (tests, shutdown). */
  drain(): Promise<void>;
  readonly position: OutboxPosition | undefined;
  /** The LISTEN connection is up (readiness). */
  readonly listening: boolean;
}

/**
 * Wakes on LISTEN/NOTIFY and catches up from the table. The listening connection is held
 * for the relay's life; if it drops, the poll keeps the relay going until it is back.
 */
export function createOutboxRelay(opts: OutboxRelayOptions): OutboxRelay {
  const log = opts.log.child({ component: 'outbox', consumer: opts.durable ?? 'live' });
  const pageSize = opts.pageSize ?? 500;
  let position: OutboxPosition | undefined;
  let listener: ChannelListener | undefined;
  let leader = !opts.durable;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;

  async function drainOnce(): Promise<void> {
    if (!leader || stopped) return;
    if (!position) position = opts.durable ? ((await loadCursor(opts.pool, opts.durable)) ?? (await outboxHead(opts.pool))) : await outboxHead(opts.pool);
    for (;;) {
      const rows = await readOutbox(opts.pool, position, pageSize);
      if (rows.length === 0) return;
      await opts.deliver(rows.map((r) => r.event));
      position = rows[rows.length - 1]!.position;
      if (opts.durable) await saveCursor(opts.pool, opts.durable, position);
      if (rows.length < pageSize || stopped) return;
    }
  }

  function kick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await drainOnce().catch((err: Error) => log.warn({ err: err.message }, 'outbox read failed; retrying on the next poll'));
      } while (again && !stopped);
    })().finally(() => (running = undefined));
    return running;
  }

  /** The lease is a session advisory lock on the listening connection: it ends with it. */
  async function tryLead(client: pg.PoolClient | undefined = listener?.client): Promise<void> {
    if (leader || !client || !opts.durable) return;
    const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext($1)) AS ok`, [`airfleet-outbox:${opts.durable}`]);
    leader = rows[0]?.ok === true;
    if (leader) {
      position = undefined; // re-read the durable cursor: another instance may have moved it
      log.info('outbox consumer leads');
    }
  }

  return {
    get position() {
      return position;
    },
    get listening() {
      return listener?.listening ?? false;
    },
    async start() {
      stopped = false;
      // If the connection drops, the poll keeps the relay going until it is back; a durable
      // consumer loses its lease with it (the lock was on that connection) and competes again.
      listener = await listenChannel(opts.pool, OUTBOX_CHANNEL, () => void kick(), log, {
        onListening: (client) => tryLead(client),
        onLost: () => (leader = !opts.durable),
      });
      await kick();
      timer = setInterval(() => {
        void (async () => {
          if (opts.durable && !leader) await tryLead().catch(() => undefined);
          await kick();
        })();
      }, opts.pollIntervalMs ?? 1000);
      timer.unref();
    },
    drain: kick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      // Closes the connection, which also ends the lease.
      listener?.stop();
      listener = undefined;
      leader = !opts.durable;
    },
  };
}
