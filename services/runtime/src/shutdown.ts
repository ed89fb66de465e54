import type { Logger } from 'pino';

/**
 * Runs the closers once on SIGINT/SIGTERM (or when a parent launcher's IPC channel
 * disconnects, so a crashed launcher leaves no orphan children), then exits.
 */
export function onShutdown(log: Logger, closers: Array<() => Promise<unknown> | unknown>, timeoutMs = 10_000): void {
  let closing = false;
  const close = async (why: string): Promise<void> => {
    if (closing) return;
    closing = true;
    log.info({ why }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown timed out, exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    for (const closer of closers) {
      try {
        await closer();
      } catch (err) {
        log.error({ err }, 'error during shutdown');
      }
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  if (process.send) process.once('disconnect', () => void close('launcher gone'));
}
