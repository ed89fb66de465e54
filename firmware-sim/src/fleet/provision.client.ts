import { deviceWithTokenSchema, sitesResponseSchema, type CreateDeviceBody } from '@airfleet/contracts';
import type { Logger } from '@airfleet/runtime';
import { hash32 } from '../model/index.ts';
import type { ProvisionConfig } from '../sim.config.ts';
import type { FleetDevice } from './fleet-file.schema.ts';

/**
 * Creates devices through the platform API (admin login → POST /api/devices) and returns
 * fleet-file entries carrying the tokens, which the API shows only once.
 */
export class ProvisionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProvisionError';
  }
}

async function call(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    throw new ProvisionError(`cannot reach ${url}: ${(err as Error).message}`);
  }
}

async function detail(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  return `${res.status} ${res.statusText}${text ? `: ${text.slice(0, 300)}` : ''}`;
}

/** POST /api/auth/login; returns the Cookie header value for the session. */
export async function login(apiUrl: string, email: string, password: string): Promise<string> {
  const res = await call(new URL('/api/auth/login', apiUrl).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new ProvisionError(`login as ${email} failed: ${await detail(res)}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]?.trim() ?? '').filter(Boolean);
  if (cookies.length === 0) throw new ProvisionError('login succeeded but no session cookie was set');
  return cookies.join('; ');
}

/** Current UTC offset of an IANA time zone, in minutes (e.g. Asia/Shanghai → 480). */
export function utcOffsetOf(timeZone: string, atMs: number): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
    .formatToParts(new Date(atMs))
    .find((p) => p.type === 'timeZoneName')?.value;
  const m = /^GMT(?:([+-])(\d{1,2})(?::(\d{2}))?)?$/.exec(part ?? '');
  if (!m) return 0;
  if (!m[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

async function siteOffset(cfg: ProvisionConfig, cookie: string, nowMs: number): Promise<number> {
  if (cfg.utcOffsetMinutes !== undefined) return cfg.utcOffsetMinutes;
  const res = await call(new URL('/api/sites', cfg.apiUrl).toString(), { headers: { cookie } });
  if (!res.ok) throw new ProvisionError(`GET /api/sites failed: ${await detail(res)}`);
  const sites = sitesResponseSchema.parse(await res.json()).sites;
  const site = sites.find((s) => s.id === cfg.siteId);
  if (!site) throw new ProvisionError(`unknown site ${JSON.stringify(cfg.siteId)}; known: ${sites.map((s) => s.id).join(', ')}`);
  return utcOffsetOf(site.timezone, nowMs);
}

export interface ProvisionDeps {
  log: Logger;
  /** Device ids already in the fleet file (new ids avoid them). */
  existingIds: ReadonlySet<string>;
  baseSeed: number;
  now?: () => number;
}

export async function provisionDevices(cfg: ProvisionConfig, deps: ProvisionDeps): Promise<FleetDevice[]> {
  const now = deps.now ?? Date.now;
  const cookie = await login(cfg.apiUrl, cfg.email, cfg.password);
  const utcOffsetMinutes = await siteOffset(cfg, cookie, now());
  // Ids like the demo fleet's (`AF37-000123`), numbered after the highest number in use.
  let next = 1 + Math.max(900_000, ...[...deps.existingIds].map((id) => Number(/-(\d{6})$/.exec(id)?.[1] ?? 0)));
  const created: FleetDevice[] = [];
  while (created.length < cfg.count) {
    if (next > 999_999) throw new ProvisionError('ran out of device numbers');
    const num = String(next).padStart(6, '0');
    next += 1;
    const id = `${cfg.modelId}-${num}`;
    if (deps.existingIds.has(id)) continue;
    const body: CreateDeviceBody = { id, modelId: cfg.modelId, siteId: cfg.siteId, serial: `AFS-SIM-${num}` };
    const res = await call(new URL('/api/devices', cfg.apiUrl).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify(body),
    });
    // Taken on the platform already (another fleet file): try the next number.
    if (res.status === 409) continue;
    if (!res.ok) throw new ProvisionError(`POST /api/devices ${id} failed: ${await detail(res)}`);
    const { device, token } = deviceWithTokenSchema.parse(await res.json());
    created.push({
      id: device.id,
      token,
      modelId: device.modelId,
      serial: device.serial,
      siteId: device.siteId,
      utcOffsetMinutes,
      seed: hash32(deps.baseSeed, next) % 1_000_000,
    });
    deps.log.info({ id: device.id, site: device.siteId }, 'device provisioned');
  }
  return created;
}
