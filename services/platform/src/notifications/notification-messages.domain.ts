import type { InboxSubject, Severity } from '@airfleet/contracts';
import { alarmAdvice, alarmName, checkName, levelName, requestKindName, severityName, subjectName, workOrderStatusName, type Locale } from './notification-wording.domain.ts';

/**
 * Plain, readable mails in the recipient's language (users.locale: en | zh-CN). Codes (checks,
 * alarm types, levels, statuses) are named from the wording table; English free text from the
 * rules (alarm messages, judgment reasons) is quoted only in English mails, while Chinese
 * mails are worded from the figures. A customer's own words are quoted as written.
 */
export type { Locale };

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
}

const FOOTER: Readonly<Record<Locale, string>> = {
  en: 'You receive this mail because of your AirFleet notification settings. Change them in the dashboard under Notifications.',
  'zh-CN': '您收到此邮件是因为您的 AirFleet 通知设置。可在控制台的“通知”页面中更改。',
};

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

export function renderMessage(input: MessageInput, locale: Locale): RenderedMessage {
  const zh = locale === 'zh-CN';
  const footer = `\n\n--\n${FOOTER[locale]}`;
  switch (input.template) {
    case 'alarm': {
      const sev = severityName(input.severity, locale);
      const name = alarmName(input.alarmType, locale);
      const advice = alarmAdvice(input.alarmType, locale);
      return zh
        ? { subject: `[AirFleet] ${sev}告警：${input.deviceId} – ${name}`, text: lines(`设备 ${input.deviceId} 产生了${sev}告警：${name}。`, measured(input.value, input.threshold, locale), advice && `建议：${advice}`, '', '请在 AirFleet 控制台中查看并确认该告警。') + footer }
        : { subject: `[AirFleet] ${sev} alarm on ${input.deviceId}: ${name}`, text: lines(`Machine ${input.deviceId} raised a ${sev.toLowerCase()} alarm: ${name}.`, `Details: ${input.alarmMessage}`, advice && `What to do: ${advice}`, '', 'Please review and acknowledge it in the AirFleet dashboard.') + footer };
    }
    case 'service_due': {
      const name = levelName(input.level, locale, input.includes ?? [], !zh);
      const state = zh ? (input.overdue ? '已逾期' : '即将到期') : input.overdue ? 'overdue' : 'due soon';
      const detail = serviceDueLine(input, locale);
      return zh
        ? { subject: `[AirFleet] ${input.deviceId} 的${name}${state}`, text: lines(`设备 ${input.deviceId} 的${name}${state}。`, detail, '', '请在服务收件箱中安排工单。') + footer }
        : { subject: `[AirFleet] ${name} ${state} on ${input.deviceId}`, text: lines(`${name} of machine ${input.deviceId} is ${state}.`, '', detail, '', 'Plan a work order from the service inbox.') + footer };
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
        ? { subject: `[AirFleet] 建议检查 ${input.deviceId}：${check}偏高`, text: lines(`与同型号设备相比，${input.deviceId} 的${check}偏离正常范围。`, evidence, '', '建议安排检查。') + footer }
        : { subject: `[AirFleet] Inspection advised for ${input.deviceId}: ${check} stands out`, text: lines(`Compared with machines of the same model, ${input.deviceId} stands out on ${check}.`, evidence, '', 'An inspection is advised.') + footer };
    }
    case 'work_order': {
      const title = workOrderTitle(input, locale);
      const status = workOrderStatusName(input.status, locale);
      return zh
        ? { subject: `[AirFleet] 工单 ${input.workOrderId} 已分配给您：${title}`, text: lines(`工单 ${input.workOrderId}（${title}）已分配给您。`, input.deviceId && `设备：${input.deviceId}`, `状态：${status}`, input.scheduledFor && `计划时间：${input.scheduledFor}`) + footer }
        : { subject: `[AirFleet] Work order ${input.workOrderId} assigned to you: ${title}`, text: lines(`Work order ${input.workOrderId} (${title}) is assigned to you.`, input.deviceId && `Machine: ${input.deviceId}`, `Status: ${status}`, input.scheduledFor && `Scheduled for: ${input.scheduledFor}`) + footer };
    }
    case 'service_request': {
      // Older queued events carry only the English title.
      const kind = input.requestKind ? requestKindName(input.requestKind, locale) : null;
      const title = kind && input.message !== undefined ? (input.message.trim() === '' ? kind : `${kind}: ${input.message.split('\n')[0]!.slice(0, 120)}`) : input.title;
      return zh
        ? { subject: `[AirFleet] 新的客户请求：${title}`, text: lines(`客户${input.customerId ? ` ${input.customerId}` : ''} 提交了请求 ${input.requestId}。`, input.deviceId && `设备：${input.deviceId}`, `内容：${title}`, '', '请在服务收件箱中处理。') + footer }
        : { subject: `[AirFleet] New customer request: ${title}`, text: lines(`Customer${input.customerId ? ` ${input.customerId}` : ''} sent request ${input.requestId}.`, input.deviceId && `Machine: ${input.deviceId}`, `Request: ${title}`, '', 'Handle it from the service inbox.') + footer };
    }
    case 'escalation': {
      const name = alarmName(input.alarmType, locale);
      const advice = alarmAdvice(input.alarmType, locale);
      return zh
        ? { subject: `[AirFleet] 升级（第 ${input.level} 级）：${input.deviceId} 的严重告警（${name}）${input.minutesUnacknowledged} 分钟未确认`, text: lines(`设备 ${input.deviceId} 的严重告警在 ${input.minutesUnacknowledged} 分钟内无人确认。`, '', `告警：${name}`, advice && `建议：${advice}`, '', '请立即处理并在控制台中确认。') + footer }
        : { subject: `[AirFleet] Escalation (level ${input.level}): critical alarm on ${input.deviceId} unacknowledged for ${input.minutesUnacknowledged} min`, text: lines(`A critical alarm on machine ${input.deviceId} has not been acknowledged for ${input.minutesUnacknowledged} minutes.`, '', `Alarm: ${name}`, `Details: ${input.alarmMessage}`, advice && `What to do: ${advice}`, '', 'Please act on it now and acknowledge it in the dashboard.') + footer };
    }
    case 'raw':
      return { subject: input.subject, text: input.text };
  }
}

export interface DigestItem {
  subject: string;
  severity: Severity;
  createdAtMs: number;
}

/** One mail for a day's queued notifications, most severe first, then oldest first. */
export function renderDigest(items: readonly DigestItem[], locale: Locale, dayIso: string): RenderedMessage {
  const rank: Record<Severity, number> = { critical: 0, major: 1, minor: 2, warning: 3, info: 4 };
  const sorted = [...items].sort((a, b) => rank[a.severity] - rank[b.severity] || a.createdAtMs - b.createdAtMs);
  const rows = sorted.map((i) => `- [${severityName(i.severity, locale)}] ${new Date(i.createdAtMs).toISOString().slice(11, 16)} UTC  ${i.subject}`);
  return locale === 'zh-CN'
    ? { subject: `[AirFleet] 每日摘要 ${dayIso}：${items.length} 条通知`, text: lines(`以下是 ${dayIso} 的 ${items.length} 条通知：`, '', ...rows) + `\n\n--\n${FOOTER[locale]}` }
    : { subject: `[AirFleet] Daily digest ${dayIso}: ${items.length} notification${items.length === 1 ? '' : 's'}`, text: lines(`Your ${items.length} notification${items.length === 1 ? '' : 's'} of ${dayIso}:`, '', ...rows) + `\n\n--\n${FOOTER[locale]}` };
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
