import { Gauge, type Registry } from 'prom-client';

/**
 * At most `perUser` report computations at once per user, in this process, and at most
 * `queuedPerUser` more waiting for one of them, first come first served. A report is the one
 * request a user can make expensive (a long range, a large site, a cold rollup). A page that asks
 * for several at once (usage, savings, the overview) gets them one after another instead of
 * errors; a script firing reports in parallel fills its queue and is told to come back (429).
 * Per process (several platform instances each allow `perUser`): the bound is on what one user
 * can hold of one instance's API pool, which is what protects the other users there.
 */
export function createReportConcurrencyLimiter(opts: { perUser: number; queuedPerUser: number }) {
  const users = new Map<string, { running: number; waiting: Array<() => void> }>();
  return {
    /**
     * Resolves with a release function (call it once, when the computation ends) as soon as one of
     * the user's slots is free; null at once when the slots and the queue are full.
     */
    acquire(userId: string): Promise<() => void> | null {
      let user = users.get(userId);
      if (!user) {
        user = { running: 0, waiting: [] };
        users.set(userId, user);
      }
      const u = user;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        // The slot passes straight to the next in line; entries live only while the user has
        // reports running or waiting, so the map is bounded by requests in flight.
        const next = u.waiting.shift();
        if (next) next();
        else if (--u.running <= 0) users.delete(userId);
      };
      if (u.running < opts.perUser) {
        u.running += 1;
        return Promise.resolve(release);
      }
      if (u.waiting.length >= opts.queuedPerUser) return null;
      return new Promise((resolve) => u.waiting.push(() => resolve(release)));
    },
    /** Over all users: computations running and waiting (for /metrics). */
    totals(): { running: number; waiting: number } {
      let running = 0;
      let waiting = 0;
      for (const u of users.values()) {
        running += u.running;
        waiting += u.waiting.length;
      }
      return { running, waiting };
    },
  };
}
export type ReportConcurrencyLimiter = ReturnType<typeof createReportConcurrencyLimiter>;

const limitersOf = new WeakMap<Registry, Set<ReportConcurrencyLimiter>>();

/**
 * `airfleet_report_computations{state="running"|"waiting"}` on `registry`, summed over every
 * limiter registered there (one per app built on it).
 */
export function registerReportMetrics(registry: Registry, limiter: ReportConcurrencyLimiter): void {
  let limiters = limitersOf.get(registry);
  if (!limiters) {
    const all = new Set<ReportConcurrencyLimiter>();
    limiters = all;
    limitersOf.set(registry, all);
    new Gauge({
      name: 'airfleet_report_computations',
      help: "Customer report computations of this instance: running, and waiting for one of their user's slots",
      labelNames: ['state'],
      registers: [registry],
      collect() {
        let running = 0;
        let waiting = 0;
        for (const l of all) {
          const t = l.totals();
          running += t.running;
          waiting += t.waiting;
        }
        this.set({ state: 'running' }, running);
        this.set({ state: 'waiting' }, waiting);
      },
    });
  }
  limiters.add(limiter);
}
