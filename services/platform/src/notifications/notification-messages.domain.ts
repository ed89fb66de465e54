import type { InboxSubject, Severity } from '@airfleet/contracts';
import { escapeHtml, linkHtml, machineAlarmsPath, machinePath, mailDocument, opensAlarmsPage, publicLink, segment, SETTINGS_PATH, textToHtml, worksServiceQueue, type LinkContext, type MailLink } from './mail-links.domain.ts';
import { alarmAdvice, alarmName, checkName, levelName, requestKindName, severityName, subjectName, workOrderStatusName, type Locale } from './notification-wording.domain.ts';

/**
 * Plain, readable mails in the recipient's language (users.locale: en | zh-CN). Codes (checks,
 * alarm types, levels, statuses) are named from the wording table; English free text from the
 * rules (alarm messages, judgment reasons) is quoted only in English mails, while Chinese
 * mails are worded from the figures. A customer's own words are quoted as written.
 */
export type { Locale, LinkContext, MailLink };

export type MessageInput =
  | { template: 'alarm'; deviceId: string; alarmType: string; alarmMessage: string; severity: Severity; value?: number | null; threshold?: number | null }
  | {
      template: 'service_due';
      deviceId: string;
      level: string;
      /** English details (the rule's reason), used only when the figures are missing. */
      text: string;
      overdue: boolean;
      includes?: readonly string[];
      dueInHours?: number | null;
      dueInDays?: number | null;
    }
  | { template: 'inspection'; deviceId: string; check: string; reason: string; evidence?: { value: number; peerMedian: number; percentile: number; peers: number; unit: string | null } }
  | { template: 'work_order'; workOrderId: string; deviceId: string | null; status: string; title: string; scheduledFor: string | null; subject?: InboxSubject | null; titleGenerated?: boolean }
  | { template: 'service_request'; requestId: string; deviceId: string | null; customerId: string | null; title: string; requestKind?: string; message?: string }
  | { template: 'escalation'; deviceId: string; alarmType: string; alarmMessage: string; level: number; minutesUnacknowledged: number }
  | { template: 'raw'; subject: string; text: string };

export interface RenderedMessage {
  subject: string;
  text: string;
  /** The same mail as HTML: every value escaped, links clickable. */
  html: string;
  /** The page the notice is about (the first link), for webhook payloads; null without PUBLIC_URL. */
  url: string | null;
}

const FOOTER: Readonly<Record<Locale, string>> = {
  en: 'You receive this mail because of your AirFleet notification settings. Change them in the dashboard under Notifications.',
  'zh-CN': '您收到此邮件是因为您的 AirFleet 通知设置。可在控制台的“通知”页面中更改。',
};

const FOOTER_LINKED: Readonly<Record<Locale, string>> = {
  en: 'You receive this mail because of your AirFleet notification settings. Change them here:',
  'zh-CN': '您收到此邮件是因为您的 AirFleet 通知设置。可在此处更改：',
};

/** Chinese text takes full-width punctuation and no space after it. */
const COLON: Readonly<Record<Locale, string>> = { en: ': ', 'zh-CN': '：' };
const SPACE: Readonly<Record<Locale, string>> = { en: ' ', 'zh-CN': '' };

const LABELS = {
  machine: { en: 'Open the machine', 'zh-CN': '查看设备' },
  alarms: { en: 'All alarms of this machine', 'zh-CN': '该设备的全部报警' },
  workOrder: { en: 'Open the work order', 'zh-CN': '查看工单' },
  inbox: { en: 'Open the service inbox', 'zh-CN': '打开服务收件箱' },
  request: { en: 'Open the request', 'zh-CN': '查看请求' },
} as const satisfies Record<string, Record<Locale, string>>;

/**
 * The pages a mail about `input` links to, for a recipient of `ctx.role`, first the one it is
 * about. Alarms and escalations open the machine's alarms list for roles that have the alarms
 * page, then (for everyone) the machine page. Inspections and maintenance open the machine page (its alarms
 * panel acknowledges, its maintenance panel shows the plan); work orders and customer requests
 * open their own page for the service team. Customers get only portal-side pages.
 */
export function linksFor(input: MessageInput, locale: Locale, ctx: LinkContext | undefined): MailLink[] {
  if (!ctx) return [];
  const link = (label: keyof typeof LABELS, path: string, query?: Record<string, string>): MailLink | null => {
    const href = publicLink(ctx.baseUrl, path, query);
    return href ? { label: LABELS[label][locale], href } : null;
  };
  const machine = (deviceId: string | null): MailLink | null => (deviceId ? link('machine', machinePath(deviceId)) : null);
  const staff = worksServiceQueue(ctx.role);
  // The alarms page filtered to the machine, for roles that have it; the machine page (which
  // acknowledges too) follows. Customers get the machine page only.
  const alarms = (deviceId: string | null): MailLink | null => {
    if (!deviceId || !opensAlarmsPage(ctx.role)) return null;
    const { path, query } = machineAlarmsPath(deviceId);
    return link('alarms', path, query);
  };
  let links: Array<MailLink | null>;
  switch (input.template) {
    case 'alarm':
    case 'escalation':
      links = [alarms(input.deviceId), machine(input.deviceId)];
      break;
    case 'inspection':
      links = [machine(input.deviceId)];
      break;
    case 'service_due':
      // The plan is on the machine page; the service team plans the work from its inbox.
      links = [machine(input.deviceId), staff ? link('inbox', '/service/inbox') : null];
      break;
    case 'work_order':
      links = [staff ? link('workOrder', `/work-orders/${segment(input.workOrderId)}`) : null, machine(input.deviceId)];
      break;
    case 'service_request':
      links = [
        ctx.role === 'customer' ? link('request', `/requests/${segment(input.requestId)}`) : staff ? link('inbox', '/service/inbox') : null,
        machine(input.deviceId),
      ];
      break;
    case 'raw':
      links = [];
      break;
  }
  return links.filter((l): l is MailLink => l !== null);
}

function finish(subject: string, body: string, links: readonly MailLink[], locale: Locale, ctx: LinkContext | undefined): RenderedMessage {
  const settings = ctx ? publicLink(ctx.baseUrl, SETTINGS_PATH) : null;
  const linkLines = links.map((l) => `${l.label}${COLON[locale]}${l.href}`);
  const text = lines(body, ...(linkLines.length > 0 ? ['', ...linkLines] : []), '', '--', settings ? `${FOOTER_LINKED[locale]}${SPACE[locale]}${settings}` : FOOTER[locale]);
  const linkHtmls = links.map((l) => `<p>${linkHtml(l)}</p>`);
  const footerHtml = settings ? `${escapeHtml(FOOTER_LINKED[locale])} ${linkHtml({ label: settings, href: settings })}` : escapeHtml(FOOTER[locale]);
  const html = mailDocument(locale, subject, [textToHtml(body), ...linkHtmls].join('\n'), footerHtml);
  return { subject, text, html, url: links[0]?.href ?? null };
}

/**
 * One notice in the recipient's language, as plain text and HTML. With `links` (PUBLIC_URL and
 * the recipient's role) it links to what it is about and to the notification settings.
 */
export function renderMessage(input: MessageInput, locale: Locale, links?: LinkContext): RenderedMessage {
  if (input.template === 'raw') return { subject: input.subject, text: input.text, html: mailDocument(locale, input.subject, textToHtml(input.text), ''), url: null };
  const { subject, body } = renderBody(input, locale);
  return finish(subject, body, linksFor(input, locale, links), locale, links);
}

function lines(...parts: Array<string | null | false | undefined>): string {
  return parts.filter((p): p is string => typeof p === 'string').join('\n');
}

const num = (v: number, locale: Locale, digits = 1): string => v.toLocaleString(locale === 'zh-CN' ? 'zh-CN' : 'en', { maximumFractionDigits: digits });

function measured(value: number | null | undefined, threshold: number | null | undefined, locale: Locale): string | null {
  if (value === null || value === undefined) return null;
  const zh = locale === 'zh-CN';
  const limit = threshold === null || threshold === undefined ? '' : zh ? `，限值 ${num(threshold, locale)}` : `, limit ${num(threshold, locale)}`;
  return zh ? `测量值：${num(value, locale)}${limit}` : `Measured: ${num(value, locale)}${limit}`;
}

function serviceDueLine(input: Extract<MessageInput, { template: 'service_due' }>, locale: Locale): string | null {
  const zh = locale === 'zh-CN';
  // The rule's own English reason reads well and carries its figures; Chinese is worded from the figures.
  if (!zh && input.text.trim() !== '') return `Details: ${input.text}`;
  const h = input.dueInHours;
  const d = input.dueInDays;
  if (h !== undefined && h !== null && (input.overdue || h <= 0)) {
    const over = Math.abs(Math.min(0, h));
    return zh ? `已超过保养间隔 ${num(over, locale, 0)} 运行小时，请尽快安排。` : `Past its interval by ${num(over, locale, 0)} running hours: plan it now.`;
  }
  if (h === undefined || h === null || d === undefined || d === null) return zh ? null : `Details: ${input.text}`;
  return zh
    ? `还剩 ${num(h, locale, 0)} 运行小时（按目前的使用约 ${num(Math.round(d), locale, 0)} 天）。`
    : `Due in ${num(h, locale, 0)} running hours (about ${num(Math.round(d), locale, 0)} days at the current use).`;
}

function workOrderTitle(input: Extract<MessageInput, { template: 'work_order' }>, locale: Locale): string {
  return input.titleGenerated && input.subject ? subjectName(input.subject, locale) : input.title;
}

function renderBody(input: Exclude<MessageInput, { template: 'raw' }>, locale: Locale): { subject: string; body: string } {
  const zh = locale === 'zh-CN';
  switch (input.template) {
    case 'alarm': {
      const sev = severityName(input.severity, locale);
      const name = alarmName(input.alarmType, locale);
      const advice = alarmAdvice(input.alarmType, locale);
      return zh
        ? { subject: `[AirFleet] ${sev}告警：${input.deviceId} – ${name}`, body: lines(`设备 ${input.deviceId} 产生了${sev}告警：${name}。`, measured(input.value, input.threshold, locale), advice && `建议：${advice}`, '', '请在 AirFleet 控制台中查看并确认该告警。') }
        : { subject: `[AirFleet] ${sev} alarm on ${input.deviceId}: ${name}`, body: lines(`Machine ${input.deviceId} raised a ${sev.toLowerCase()} alarm: ${name}.`, `Details: ${input.alarmMessage}`, advice && `What to do: ${advice}`, '', 'Please review and acknowledge it in the AirFleet dashboard.') };
    }
    case 'service_due': {
      const name = levelName(input.level, locale, input.includes ?? [], !zh);
      const state = zh ? (input.overdue ? '已逾期' : '即将到期') : input.overdue ? 'overdue' : 'due soon';
      const detail = serviceDueLine(input, locale);
      return zh
        ? { subject: `[AirFleet] ${input.deviceId} 的${name}${state}`, body: lines(`设备 ${input.deviceId} 的${name}${state}。`, detail, '', '请在服务收件箱中安排工单。') }
        : { subject: `[AirFleet] ${name} ${state} on ${input.deviceId}`, body: lines(`${name} of machine ${input.deviceId} is ${state}.`, '', detail, '', 'Plan a work order from the service inbox.') };
    }
    case 'inspection': {
      const check = checkName(input.check, locale);
      const e = input.evidence;
      const unit = e?.unit ? ` ${e.unit}` : '';
      const evidence = e
        ? zh
          ? `本机 ${num(e.value, locale, 2)}${unit}，同型号 ${e.peers} 台设备的中位数 ${num(e.peerMedian, locale, 2)}${unit}（第 ${Math.round(e.percentile)} 百分位）。`
          : `This machine: ${num(e.value, locale, 2)}${unit}; median of ${e.peers} machines of the same model: ${num(e.peerMedian, locale, 2)}${unit} (${Math.round(e.percentile)}th percentile).`
        : zh
          ? null
          : `Details: ${input.reason}`;
      return zh
        ? { subject: `[AirFleet] 建议检查 ${input.deviceId}：${check}偏高`, body: lines(`与同型号设备相比，${input.deviceId} 的${check}偏离正常范围。`, evidence, '', '建议安排检查。') }
        : { subject: `[AirFleet] Inspection advised for ${input.deviceId}: ${check} stands out`, body: lines(`Compared with machines of the same model, ${input.deviceId} stands out on ${check}.`, evidence, '', 'An inspection is advised.') };
    }
    case 'work_order': {
      const title = workOrderTitle(input, locale);
      const status = workOrderStatusName(input.status, locale);
      return zh
        ? { subject: `[AirFleet] 工单 ${input.workOrderId} 已分配给您：${title}`, body: lines(`工单 ${input.workOrderId}（${title}）已分配给您。`, input.deviceId && `设备：${input.deviceId}`, `状态：${status}`, input.scheduledFor && `计划时间：${input.scheduledFor}`) }
        : { subject: `[AirFleet] Work order ${input.workOrderId} assigned to you: ${title}`, body: lines(`Work order ${input.workOrderId} (${title}) is assigned to you.`, input.deviceId && `Machine: ${input.deviceId}`, `Status: ${status}`, input.scheduledFor && `Scheduled for: ${input.scheduledFor}`) };
    }
    case 'service_request': {
      // Older queued events carry only the English title.
      const kind = input.requestKind ? requestKindName(input.requestKind, locale) : null;
      const title = kind && input.message !== undefined ? (input.message.trim() === '' ? kind : `${kind}: ${input.message.split('\n')[0]!.slice(0, 120)}`) : input.title;
      return zh
        ? { subject: `[AirFleet] 新的客户请求：${title}`, body: lines(`客户${input.customerId ? ` ${input.customerId}` : ''} 提交了请求 ${input.requestId}。`, input.deviceId && `设备：${input.deviceId}`, `内容：${title}`, '', '请在服务收件箱中处理。') }
        : { subject: `[AirFleet] New customer request: ${title}`, body: lines(`Customer${input.customerId ? ` ${input.customerId}` : ''} sent request ${input.requestId}.`, input.deviceId && `Machine: ${input.deviceId}`, `Request: ${title}`, '', 'Handle it from the service inbox.') };
    }
    case 'escalation': {
      const name = alarmName(input.alarmType, locale);
      const advice = alarmAdvice(input.alarmType, locale);
      return zh
        ? { subject: `[AirFleet] 升级（第 ${input.level} 级）：${input.deviceId} 的严重告警（${name}）${input.minutesUnacknowledged} 分钟未确认`, body: lines(`设备 ${input.deviceId} 的严重告警在 ${input.minutesUnacknowledged} 分钟内无人确认。`, '', `告警：${name}`, advice && `建议：${advice}`, '', '请立即处理并在控制台中确认。') }
        : { subject: `[AirFleet] Escalation (level ${input.level}): critical alarm on ${input.deviceId} unacknowledged for ${input.minutesUnacknowledged} min`, body: lines(`A critical alarm on machine ${input.deviceId} has not been acknowledged for ${input.minutesUnacknowledged} minutes.`, '', `Alarm: ${name}`, `Details: ${input.alarmMessage}`, advice && `What to do: ${advice}`, '', 'Please act on it now and acknowledge it in the dashboard.') };
    }
  }
}

export interface DigestItem {
  subject: string;
  severity: Severity;
  createdAtMs: number;
  /** The page the item is about (stored with the queued notice), if any. */
  url?: string | null;
}

/** One mail for a day's queued notifications, most severe first, then oldest first; each links to its page. */
export function renderDigest(items: readonly DigestItem[], locale: Locale, dayIso: string, links?: LinkContext): RenderedMessage {
  const rank: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3, info: 4 };
  const sorted = [...items].sort((a, b) => rank[a.severity] - rank[b.severity] || a.createdAtMs - b.createdAtMs);
  const head = (i: DigestItem): string => `[${severityName(i.severity, locale)}] ${new Date(i.createdAtMs).toISOString().slice(11, 16)} UTC`;
  // A stored link is used only while links are on (PUBLIC_URL set) and it is a web address.
  const urlOf = (i: DigestItem): string | null => (links && i.url && /^https?:\/\//.test(i.url) ? i.url : null);
  const zh = locale === 'zh-CN';
  const n = items.length;
  const subject = zh ? `[AirFleet] 每日摘要 ${dayIso}：${n} 条通知` : `[AirFleet] Daily digest ${dayIso}: ${n} notification${n === 1 ? '' : 's'}`;
  const intro = zh ? `以下是 ${dayIso} 的 ${n} 条通知：` : `Your ${n} notification${n === 1 ? '' : 's'} of ${dayIso}:`;
  const rows = sorted.map((i) => {
    const url = urlOf(i);
    return `- ${head(i)}  ${i.subject}${url ? `\n  ${url}` : ''}`;
  });
  const settings = links ? publicLink(links.baseUrl, SETTINGS_PATH) : null;
  const text = lines(intro, '', ...rows, '', '--', settings ? `${FOOTER_LINKED[locale]}${SPACE[locale]}${settings}` : FOOTER[locale]);
  const itemsHtml = sorted
    .map((i) => {
      const url = urlOf(i);
      const label = url ? linkHtml({ label: i.subject, href: url }) : escapeHtml(i.subject);
      return `<li>${escapeHtml(head(i))} ${label}</li>`;
    })
    .join('\n');
  const footerHtml = settings ? `${escapeHtml(FOOTER_LINKED[locale])} ${linkHtml({ label: settings, href: settings })}` : escapeHtml(FOOTER[locale]);
  const html = mailDocument(locale, subject, `<p>${escapeHtml(intro)}</p>\n<ul>\n${itemsHtml}\n</ul>`, footerHtml);
  return { subject, text, html, url: null };
}

const DAY_MS = 86_400_000;

/** The latest digest slot (today's digest hour, or yesterday's if it has not come yet), UTC. */
export function latestDigestSlot(digestHourUtc: number, nowMs: number): number {
  const todayAt = Math.floor(nowMs / DAY_MS) * DAY_MS + digestHourUtc * 3_600_000;
  return nowMs >= todayAt ? todayAt : todayAt - DAY_MS;
}

/**
 * Whether a user's digest is due: something queued before the latest digest slot still
 * waits. No "last sent" bookkeeping is needed, and a platform that was down at the digest
 * hour catches up when it returns.
 */
export function digestDue(digestHourUtc: number, oldestQueuedAtMs: number | null, nowMs: number): boolean {
  return oldestQueuedAtMs !== null && oldestQueuedAtMs < latestDigestSlot(digestHourUtc, nowMs);
}
