import { describe, expect, it } from 'vitest';
import { FLEET_CHECKS, WORK_ORDER_STATUSES, type Severity } from '@airfleet/contracts';
import { renderMessage, type Locale, type MessageInput } from './notification-messages.domain.ts';
import { ALARM_NAMES, CHECK_NAMES } from './notification-wording.domain.ts';

/** A raw code as the platform stores it: `adt_delta`, `service_overdue_a`, `in_progress`. */
const SNAKE_CASE = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/;
/** In a Chinese mail no English word may remain, apart from the brand, ids, units and device codes. */
const LATIN_WORD = /[A-Za-z]{2,}/;
const DEVICE = 'AF75-000226';
const UNIT = 'kW/(m³/min)';
const LOCALES: Locale[] = ['en', 'zh-CN'];

const alarmTypes = [...Object.keys(ALARM_NAMES), 'trip:OIL_LEVEL_LOW', 'warning:FAN_FAULT', 'service_overdue_A', 'service_overdue_C', 'brand_new_alarm_kind'];
const checks = [...new Set([...FLEET_CHECKS, ...Object.keys(CHECK_NAMES), 'brand_new_check'])];
// Device codes are the maker's own (kept as sent); a code no table knows yet is humanized, never raw.
const UNKNOWN = ['OIL_LEVEL_LOW', 'FAN_FAULT', 'brand new alarm kind', 'brand new check'];
const severities: Severity[] = ['critical', 'major', 'minor', 'warning', 'info'];

const cases: Array<{ name: string; input: MessageInput; codes?: string[] }> = [
  ...alarmTypes.flatMap((type) =>
    severities.map((severity) => ({
      name: `alarm ${type} (${severity})`,
      input: { template: 'alarm', deviceId: DEVICE, alarmType: type, alarmMessage: 'Element temperature 104 °C above the 100 °C limit', severity, value: 104, threshold: 100 } as MessageInput,
      codes: UNKNOWN,
    })),
  ),
  ...alarmTypes.map((type) => ({
    name: `escalation ${type}`,
    input: { template: 'escalation', deviceId: DEVICE, alarmType: type, alarmMessage: 'Motor overload', level: 2, minutesUnacknowledged: 15 } as MessageInput,
    codes: UNKNOWN,
  })),
  ...checks.map((check) => ({
    name: `inspection ${check}`,
    input: { template: 'inspection', deviceId: DEVICE, check, reason: 'Specific power 7.4 vs 6.1 for 9 machines', evidence: { value: 7.4, peerMedian: 6.1, percentile: 98, peers: 9, unit: UNIT } } as MessageInput,
    codes: UNKNOWN,
  })),
  ...(['first', 'A', 'B', 'C'] as const).flatMap((level) =>
    [true, false].map((overdue) => ({
      name: `service_due ${level} ${overdue ? 'overdue' : 'due soon'}`,
      input: { template: 'service_due', deviceId: DEVICE, level, text: 'Service level due in 100 running hours', overdue, includes: level === 'C' ? ['A', 'B'] : [], dueInHours: overdue ? -40 : 100, dueInDays: overdue ? -2 : 6 } as MessageInput,
    })),
  ),
  ...WORK_ORDER_STATUSES.flatMap((status) => [
    {
      name: `work_order ${status} (machine-made title)`,
      input: { template: 'work_order', workOrderId: '12', deviceId: DEVICE, status, title: 'Level B service (includes A)', scheduledFor: null, titleGenerated: true, subject: { kind: 'maintenance', level: 'B', includes: ['A'], due: null, nextDueHours: 4000, nextDueByDate: null, dueInHours: 100, dueInDays: 6, hoursPerDay: 16 } } as MessageInput,
    },
    {
      name: `work_order ${status} (inspection)`,
      input: { template: 'work_order', workOrderId: '13', deviceId: DEVICE, status, title: 'Inspect: adt_delta', scheduledFor: null, titleGenerated: true, subject: { kind: 'inspect', check: 'adt_delta', value: 1, peerMedian: 1, percentile: 90, peers: 5, unit: null } } as MessageInput,
    },
  ]),
  ...(['service', 'parts_quote'] as const).map((kind) => ({
    name: `service_request ${kind}`,
    input: { template: 'service_request', requestId: '7', deviceId: DEVICE, customerId: null, title: 'Parts quote: …', requestKind: kind, message: '' } as MessageInput,
  })),
];

describe('notification wording: readable in the recipient’s language, no raw codes', () => {
  it.each(cases.flatMap((c) => LOCALES.map((locale) => ({ ...c, locale }))))('$name in $locale', ({ input, locale, codes = [] }) => {
    const { subject, text } = renderMessage(input, locale);
    for (const part of [subject, text]) {
      expect(part, part).not.toMatch(SNAKE_CASE);
      if (locale === 'zh-CN') {
        let rest = part.replaceAll('AirFleet', '').replaceAll(DEVICE, '').replaceAll(UNIT, '');
        for (const code of codes) rest = rest.replaceAll(code, '');
        expect(rest, part).not.toMatch(LATIN_WORD);
      }
    }
  });

  it('names the fleet check and the alarm in words', () => {
    const inspect = { template: 'inspection', deviceId: DEVICE, check: 'adt_delta', reason: 'x' } as const;
    expect(renderMessage(inspect, 'en').subject).toBe(`[AirFleet] Inspection advised for ${DEVICE}: element temperature above ambient at load stands out`);
    expect(renderMessage(inspect, 'zh-CN').subject).toBe(`[AirFleet] 建议检查 ${DEVICE}：加载时主机温度与环境温度之差偏高`);
    const alarm = { template: 'alarm', deviceId: DEVICE, alarmType: 'element_temp_warning', alarmMessage: 'hot', severity: 'major' } as const;
    expect(renderMessage(alarm, 'en').subject).toBe(`[AirFleet] Major alarm on ${DEVICE}: High element temperature`);
    expect(renderMessage(alarm, 'zh-CN').subject).toBe(`[AirFleet] 重要告警：${DEVICE} – 主机温度高`);
  });

  it('names the service level with what it includes', () => {
    const due = { template: 'service_due', deviceId: DEVICE, level: 'C', text: 'x', overdue: false, includes: ['A', 'B'], dueInHours: 120, dueInDays: 7.6 } as const;
    expect(renderMessage(due, 'en').subject).toBe(`[AirFleet] Service level C (includes A, B) due soon on ${DEVICE}`);
    expect(renderMessage({ ...due, text: '' }, 'en').text).toContain('Due in 120 running hours (about 8 days at the current use).');
    expect(renderMessage(due, 'zh-CN').text).toContain('还剩 120 运行小时（按目前的使用约 8 天）。');
    expect(renderMessage(due, 'zh-CN').subject).toBe(`[AirFleet] ${DEVICE} 的C 级保养（含 A、B）即将到期`);
  });
});
