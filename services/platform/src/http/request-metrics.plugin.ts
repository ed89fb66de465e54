import fp from 'fastify-plugin';
import { Counter, Histogram, type Registry } from 'prom-client';

const REQUESTS = 'airfleet_http_requests_total';
const DURATION = 'airfleet_http_request_duration_seconds';
const LABELS = ['method', 'route', 'status_code'] as const;

/**
 * The registry is shared with ingest and may outlive one app instance (tests build many),
 * so existing metrics are reused instead of registered twice (prom-client throws on that).
 */
function metricsIn(registry: Registry): { requests: Counter<(typeof LABELS)[number]>; duration: Histogram<(typeof LABELS)[number]> } {
  const requests =
    (registry.getSingleMetric(REQUESTS) as Counter<(typeof LABELS)[number]> | undefined) ??
    new Counter({ name: REQUESTS, help: 'HTTP requests answered', labelNames: LABELS, registers: [registry] });
  const duration =
    (registry.getSingleMetric(DURATION) as Histogram<(typeof LABELS)[number]> | undefined) ??
    new Histogram({
      name: DURATION,
      help: 'HTTP request duration until the response was sent',
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  return { requests, duration };
}

export const requestMetricsPlugin = fp<{ registry: Registry }>(
  async (app, { registry }) => {
    const { requests, duration } = metricsIn(registry);
    app.addHook('onResponse', async (request, reply) => {
      // The route template, never the raw URL: ids in paths would explode label cardinality.
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) };
      requests.inc(labels);
      duration.observe(labels, reply.elapsedTime / 1000);
    });
  },
  { name: 'airfleet-http-metrics', fastify: '5.x' },
);
