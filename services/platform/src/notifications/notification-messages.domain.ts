import type { Severity, User } from '@airfleet/contracts';

/**
 * Plain, readable mails in the recipient's language (users.locale: en | zh-CN). Free text
 * that comes from the rules (alarm messages, judgment reasons) is quoted as it is.
 */
export type Locale = User['locale'];

export type MessageInput =
  | { template: 'alarm'; deviceId: string; alarmType: string; alarmMessage: string; severity: Severity }
  | { template: 'service_due'; deviceId: string; level: string; text: string; overdue: boolean }
  | { template: 'inspection'; deviceId: string; check: string; reason: string }
  | { template: 'work_order'; workOrderId: string; deviceId: string | null; status: string; title: string; scheduledFor: string | null }
  | { template: 'service_request'; requestId: string; deviceId: string | null; customerId: string | null; title: string }
  | { template: 'escalation'; deviceId: string; alarmType: string; alarmMessage: string; level: number; minutesUnacknowledged: number }
  | { template: 'raw'; subject: string; text: string };

export interface RenderedMessage {
  subject: string;
  text: string;
}

const SEVERITY_LABEL: Readonly<Record<Locale, Record<Severity, string>>> = {
  en: { critical: 'Critical', major: 'Major', minor: 'Minor', warning: 'Warning', info: 'Info' },
  'zh-CN': { critical: '严重', major: '重要', minor: '次要', warning: '警告', info: '信息' },
};

const FOOTER: Readonly<Record<Locale, string>> = {
  en: 'You receive this mail because of your AirFleet notification settings. Change them in the dashboard under Notifications.',
  'zh-CN': '您收到此邮件是因为您的 AirFleet 通知设置。可在控制台的“通知”页面中更改。',
};

function lines(...parts: Array<string | null | false>): string {
  return parts.filter((p): p is string => typeof p === 'string').join('\n');
}

export function renderMessage(input: MessageInput, locale: Locale): RenderedMessage {
  const zh = locale === 'zh-CN';
  const footer = `\n\n--\n${FOOTER[locale]}`;
  switch (input.template) {
    case 'alarm': {
      const sev = SEVERITY_LABEL[locale][input.severity];
      return zh
        ? { subject: `[AirFleet] ${sev}告警：${input.deviceId} – ${input.alarmType}`, text: lines(`设备 ${input.deviceId} 产生了${sev}告警。`, '', `告警：${input.alarmType}`, `说明：${input.alarmMessage}`, '', '请在 AirFleet 控制台中查看并确认该告警。') + footer }
        : { subject: `[AirFleet] ${sev} alarm on ${input.deviceId}: ${input.alarmType}`, text: lines(`Machine ${input.deviceId} raised a ${sev.toLowerCase()} alarm.`, '', `Alarm: ${input.alarmType}`, `Details: ${input.alarmMessage}`, '', 'Please review and acknowledge it in the AirFleet dashboard.') + footer };
    }
    case 'service_due':
      return zh
        ? { subject: `[AirFleet] ${input.deviceId} 的 ${input.level} 级保养${input.overdue ? '已逾期' : '即将到期'}`, text: lines(`设备 ${input.deviceId} 的 ${input.level} 级保养${input.overdue ? '已逾期' : '即将到期'}。`, '', `说明：${input.text}`, '', '请在服务收件箱中安排工单。') + footer }
        : { subject: `[AirFleet] Service level ${input.level} ${input.overdue ? 'overdue' : 'due soon'} on ${input.deviceId}`, text: lines(`Service level ${input.level} of machine ${input.deviceId} is ${input.overdue ? 'overdue' : 'due soon'}.`, '', `Details: ${input.text}`, '', 'Plan a work order from the service inbox.') + footer };
    case 'inspection':
      return zh
        ? { subject: `[AirFleet] 建议检查 ${input.deviceId}（${input.check}）`, text: lines(`与同型号设备相比，${input.deviceId} 的 ${input.check} 偏离正常范围。`, '', `说明：${input.reason}`) + footer }
        : { subject: `[AirFleet] Inspection advised for ${input.deviceId} (${input.check})`, text: lines(`Compared with machines of the same model, ${input.deviceId} stands out on ${input.check}.`, '', `Details: ${input.reason}`) + footer };
    case 'work_order':
      return zh
        ? { subject: `[AirFleet] 工单 ${input.workOrderId} 已分配给您：${input.title}`, text: lines(`工单 ${input.workOrderId}（${input.title}）已分配给您。`, input.deviceId && `设备：${input.deviceId}`, `状态：${input.status}`, input.scheduledFor && `计划时间：${input.scheduledFor}`) + footer }
        : { subject: `[AirFleet] Work order ${input.workOrderId} assigned to you: ${input.title}`, text: lines(`Work order ${input.workOrderId} (${input.title}) is assigned to you.`, input.deviceId && `Machine: ${input.deviceId}`, `Status: ${input.status}`, input.scheduledFor && `Scheduled for: ${input.scheduledFor}`) + footer };
    case 'service_request':
      return zh
        ? { subject: `[AirFleet] 新的客户服务请求：${input.title}`, text: lines(`客户${input.customerId ? ` ${input.customerId}` : ''} 提交了服务请求 ${input.requestId}。`, input.deviceId && `设备：${input.deviceId}`, `内容：${input.title}`, '', '请在服务收件箱中处理。') + footer }
        : { subject: `[AirFleet] New customer service request: ${input.title}`, text: lines(`Customer${input.customerId ? ` ${input.customerId}` : ''} sent service request ${input.requestId}.`, input.deviceId && `Machine: ${input.deviceId}`, `Request: ${input.title}`, '', 'Handle it from the service inbox.') + footer };
    case 'escalation':
      return zh
        ? { subject: `[AirFleet] 升级（第 ${input.level} 级）：${input.deviceId} 的严重告警 ${input.minutesUnacknowledged} 分钟未确认`, text: lines(`设备 ${input.deviceId} 的严重告警在 ${input.minutesUnacknowledged} 分钟内无人确认。`, '', `告警：${input.alarmType}`, `说明：${input.alarmMessage}`, '', '请立即处理并在控制台中确认。') + footer }
        : { subject: `[AirFleet] Escalation (level ${input.level}): critical alarm on ${input.deviceId} unacknowledged for ${input.minutesUnacknowledged} min`, text: lines(`A critical alarm on machine ${input.deviceId} has not been acknowledged for ${input.minutesUnacknowledged} minutes.`, '', `Alarm: ${input.alarmType}`, `Details: ${input.alarmMessage}`, '', 'Please act on it now and acknowledge it in the dashboard.') + footer };
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
  const rows = sorted.map((i) => `- [${SEVERITY_LABEL[locale][i.severity]}] ${new Date(i.createdAtMs).toISOString().slice(11, 16)} UTC  ${i.subject}`);
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
