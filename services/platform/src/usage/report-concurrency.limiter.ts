/**
 * At most `perUser` report computations at once per user, in this process. A report is the one
 * request a user can make expensive (a long range, a large site, a cold rollup), and the natural
 * thing to do while one is being computed is to wait for it, not to start more: a second tab or
 * a double click still gets through, a script firing reports in parallel is told to come back.
 * Per process (several platform instances each allow `perUser`): the bound is on what one user
 * can hold of one instance's API pool, which is what protects the other users there.
 */
export function createReportConcurrencyLimiter(opts: { perUser: number }) {
  const running = new Map<string, number>();
  return {
    /** A release function (call it once, when the computation ends), or null at the limit. */
    tryAcquire(userId: string): (() => void) | null {
      const n = running.get(userId) ?? 0;
      if (n >= opts.perUser) return null;
      running.set(userId, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (running.get(userId) ?? 1) - 1;
        // Entries live only while a computation runs: the map is bounded by requests in flight.
        if (left <= 0) running.delete(userId);
        else running.set(userId, left);
      };
    },
    /** Computations running now for this user. */
    runningFor(userId: string): number {
      return running.get(userId) ?? 0;
    },
  };
}
export type ReportConcurrencyLimiter = ReturnType<typeof createReportConcurrencyLimiter>;
