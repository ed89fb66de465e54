import { Counter, Gauge, type Registry } from 'prom-client';

export interface LiveMetrics {
  connections: Gauge;
  dropped: Counter<'reason'>;
  coalesced: Counter;
}

/** Idempotent per registry: a registry may back several app instances in tests. */
export function createLiveMetrics(registry: Registry): LiveMetrics {
  const registers = [registry];
  const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;
  return {
    connections:
      existing<Gauge>('airfleet_live_connections') ??
      new Gauge({ name: 'airfleet_live_connections', help: 'Open live WebSocket connections', registers }),
    dropped:
      existing<Counter<'reason'>>('airfleet_live_dropped_connections_total') ??
      new Counter({
        name: 'airfleet_live_dropped_connections_total',
        help: 'Live connections closed by the server (too_slow: stopped reading; session_ended; no_pong)',
        labelNames: ['reason'],
        registers,
      }),
    coalesced:
      existing<Counter>('airfleet_live_coalesced_samples_total') ??
      new Counter({
        name: 'airfleet_live_coalesced_samples_total',
        help: 'Live samples replaced by a newer one before a client received them (sampling of slow clients)',
        registers,
      }),
  };
}
