import type { Role } from '@airfleet/contracts';

/**
 * Links in mails and webhook payloads (PUBLIC_URL): every notice points at the page about its
 * subject, and only at pages the recipient's role can open (customers: the portal side, never
 * the service inbox or work orders). Without a public URL there are no links at all: a relative
 * link in a mail leads nowhere.
 */
export interface MailLink {
  /** What the link opens, in the recipient's language. */
  label: string;
  href: string;
}

/** Where links point and for whom. */
export interface LinkContext {
  /** PUBLIC_URL: the dashboard's address as the recipient reaches it. */
  baseUrl: string;
  role: Role;
}

/** An absolute link below the public URL, or null when there is none (or it is not http/https). */
export function publicLink(baseUrl: string | undefined, path: string, query?: Record<string, string>): string | null {
  if (!baseUrl) return null;
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    return null;
  }
  // Only web links: a mail is no place for javascript: or file: addresses.
  if (base.protocol !== 'http:' && base.protocol !== 'https:') return null;
  const root = base.href.replace(/\/+$/, '');
  const qs = query ? new URLSearchParams(query).toString() : '';
  return `${root}${path}${qs ? `?${qs}` : ''}`;
}

/** A path segment from data (device ids, record ids): encoded, never able to add path parts. */
export const segment = (value: string): string => encodeURIComponent(value);

export const machinePath = (deviceId: string): string => `/machines/${segment(deviceId)}`;
export const SETTINGS_PATH = '/settings/notifications';
/** The alarms page filtered to one machine (the dashboard reads `device` from the URL). */
export const machineAlarmsPath = (deviceId: string): { path: string; query: Record<string, string> } => ({
  path: '/alarms',
  query: { device: deviceId },
});

/** Roles whose navigation has the alarms page; customers see a machine's alarms on its page. */
export function opensAlarmsPage(role: Role): boolean {
  return role === 'admin' || role === 'operator' || role === 'service';
}

/** Roles that open the service inbox and work orders (the dashboard's canDoService). */
export function worksServiceQueue(role: Role): boolean {
  return role === 'admin' || role === 'service';
}

/** HTML text: every interpolated value goes through this. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Plain text as HTML: lines kept, blank lines start a new paragraph, everything escaped. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${p.split('\n').map(escapeHtml).join('<br>')}</p>`)
    .join('\n');
}

export function linkHtml(link: MailLink): string {
  return `<a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a>`;
}

/** A whole mail document around already escaped body HTML. */
export function mailDocument(lang: string, title: string, bodyHtml: string, footerHtml: string): string {
  return [
    `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:Arial,\'Microsoft YaHei\',sans-serif;color:#1a1b1e;max-width:640px;line-height:1.45">',
    bodyHtml,
    `<hr><p style="font-size:12px;color:#666">${footerHtml}</p></body></html>`,
  ].join('\n');
}
