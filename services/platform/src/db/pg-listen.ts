import type pg from 'pg';
import type { Logger } from 'pino';

export interface ListenChannelOptions {
  /**
   * Runs on each (new) listening connection right after its LISTEN, before the listener counts
   * as up: the outbox relay takes its lease there, a session lock that lives and dies with this
   * connection. A failure drops the connection and retries like a lost one.
   */
  onListening?: (client: pg.PoolClient) => Promise<void> | void;
  /** The connection was lost (not by stop()); a new one follows after `retryMs`. */
  onLost?: () => void;
  /** Wait before connecting again. Default 1 s. */
  retryMs?: number;
}

export interface ChannelListener {
  /** The listening connection while it is up (its session locks live as long as it). */
  readonly client: pg.PoolClient | undefined;
  readonly listening: boolean;
  /** Ends the listener: no reconnect; the connection is closed (not returned to the pool), which ends its session locks. */
  stop(): void;
}

/**
 * LISTEN on `channel` over one dedicated pool connection, held for the listener's life. A lost
 * connection is released once (its 'error' also fires after stop(), when the server closes it)
 * and replaced after `retryMs`; so is one that cannot be had. Resolves after the first attempt,
 * whether it succeeded or a retry is scheduled. Notifications may be missed while reconnecting:
 * callers repair that themselves (a poll, a sweep).
 */
export async function listenChannel(
  pool: pg.Pool,
  channel: string,
  onPayload: (payload: string) => void,
  log: Logger,
  options: ListenChannelOptions = {},
): Promise<ChannelListener> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  const retryMs = options.retryMs ?? 1000;
  let current: pg.PoolClient | undefined;
  /** `current` once its LISTEN (and onListening) succeeded. */
  let up = false;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const later = (): void => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, retryMs);
    retry.unref();
  };

  /** Releases `c` once, closing it; only the connection still current counts as lost. */
  const drop = (c: pg.PoolClient, err: Error): void => {
    if (current !== c) return;
    current = undefined;
    up = false;
    c.release(err);
    if (stopped) return;
    options.onLost?.();
    later();
  };

  async function connect(): Promise<void> {
    if (stopped) return;
    let c: pg.PoolClient | undefined;
    try {
      c = await pool.connect();
      if (stopped) {
        c.release(true);
        return;
      }
      const conn = c;
      current = conn;
      conn.on('notification', (msg) => {
        if (msg.channel === channel && current === conn) onPayload(msg.payload ?? '');
      });
      conn.on('error', (err) => {
        if (current !== conn) return;
        log.warn({ channel, err: err.message }, 'listening connection lost; reconnecting');
        drop(conn, err);
      });
      await conn.query(`LISTEN ${channel}`);
      await options.onListening?.(conn);
      up = current === conn;
    } catch (err) {
      log.warn({ channel, err: (err as Error).message }, 'could not listen; retrying');
      if (c && current === c) drop(c, err as Error);
      else later();
    }
  }

  await connect();
  return {
    get client() {
      return current;
    },
    get listening() {
      return up;
    },
    stop() {
      stopped = true;
      clearTimeout(retry);
      retry = undefined;
      const c = current;
      current = undefined;
      up = false;
      // Released with an error: the connection is closed, which also ends its session locks.
      c?.release(true);
    },
  };
}
