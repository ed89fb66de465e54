import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface StaticPluginOptions {
  /** The dashboard's build output (dashboard/dist): index.html plus hashed assets/. */
  dashboardDir: string;
}

/** Server routes: never answered with the dashboard, so API clients keep their JSON 404s. */
const SERVER_PREFIXES = ['/api', '/docs', '/metrics', '/healthz', '/readyz', '/live'];

/**
 * The dashboard's page itself. Mantine writes its theme variables into a <style> element,
 * hence 'unsafe-inline' for styles only; scripts come from this origin alone, and the live
 * WebSocket is same-origin ('self' covers ws:/wss: of this host, CSP Level 3 §6.7.2.8).
 */
const HTML_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  // index.html names the current hashed bundles: always revalidate it.
  'cache-control': 'no-cache',
};

function isServerPath(pathname: string): boolean {
  return SERVER_PREFIXES.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * Serves the built dashboard at `/`: hashed assets (pre-compressed .br/.gz when the build
 * wrote them) with a one-year immutable cache, and index.html for every client route
 * (`/fleet`, `/machines/AF37-000101`, …) so deep links and reloads work (SPA fallback).
 * Registered after the API: Fastify's router prefers the more specific routes, so /api,
 * /docs, /metrics, /healthz, /readyz and /live keep priority over the catch-all.
 */
export const dashboardStaticPlugin = fp<StaticPluginOptions>(
  async (app, options) => {
    const dashboardDir = path.resolve(options.dashboardDir);
    await app.register(fastifyStatic, {
      root: dashboardDir,
      // No routes of its own: the catch-all below decides between an asset and the app shell.
      serve: false,
      preCompressed: true,
      index: false,
      cacheControl: false,
      setHeaders(reply, filePath) {
        const rel = path.relative(dashboardDir, filePath).split(path.sep).join('/');
        reply.header('cache-control', rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        reply.header('x-content-type-options', 'nosniff');
      },
    });

    const notFound = (reply: FastifyReply): FastifyReply => {
      reply.callNotFound();
      return reply;
    };
    const serve = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
      let pathname: string;
      try {
        pathname = decodeURIComponent(request.url.split('?')[0] ?? '/');
      } catch {
        return notFound(reply);
      }
      // Server paths, and dot-files (the build's .vite/manifest.json, the build stamp) are not the dashboard's.
      if (isServerPath(pathname) || pathname.includes('/.')) return notFound(reply);
      const lastSegment = pathname.slice(pathname.lastIndexOf('/') + 1);
      // A file name (has an extension): the file or a 404, never the app shell, so a stale
      // page asking for an old bundle gets a clear 404 instead of HTML parsed as JavaScript.
      if (lastSegment.includes('.')) return reply.sendFile(pathname.slice(1));
      return reply.headers(HTML_HEADERS).sendFile('index.html');
    };
    app.route({ method: ['GET', 'HEAD'], url: '/', schema: { hide: true }, handler: serve });
    app.route({ method: ['GET', 'HEAD'], url: '/*', schema: { hide: true }, handler: serve });
  },
  { name: 'airfleet-dashboard-static', fastify: '5.x' },
);
