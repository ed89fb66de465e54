import http from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '@airfleet/runtime';

export interface OpsHttpServerOptions {
  registry: Registry;
  /** True while the MQTT listener accepts connections. */
  isHealthy: () => boolean;
  log: Logger;
}

/**
 * The gateway's small ops port: /healthz for orchestrator probes and /metrics for Prometheus.
 * Kept off the MQTT port and free of any device data, so it can be exposed to the monitoring
 * network only.
 */
export function createOpsHttpServer({ registry, isHealthy, log }: OpsHttpServerOptions): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      const healthy = isHealthy();
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable' }));
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        },
        (err: unknown) => {
          log.error({ err }, 'collecting metrics failed');
          res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));
  });
}
