import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Verified with the documented algorithm (docs/notifications.md), independently of the platform's code. */
  signatureValid: boolean;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The HTTP status the receiver answers with (change it at any time). */
  status: number;
  secret: string;
  close(): Promise<void>;
}

/**
 * What a receiver does, as docs/notifications.md tells it: HMAC-SHA256 over `${t}.${body}`
 * with the shared secret, compared in constant time with the v1 value of X-AirFleet-Signature.
 */
export function verifyAirFleetSignature(secret: string, header: string | undefined, body: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const state: WebhookReceiver = { url: '', received: [], status: 200, secret: '', close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['x-airfleet-signature'];
      state.received.push({ headers: req.headers, body, signatureValid: verifyAirFleetSignature(state.secret, typeof header === 'string' ? header : undefined, body) });
      res.writeHead(state.status, { 'content-type': 'text/plain' }).end(state.status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/airfleet`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
