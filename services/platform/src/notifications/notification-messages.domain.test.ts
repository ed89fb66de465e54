import { describe, expect, it } from 'vitest';
import { FLEET_CHECKS, WORK_ORDER_STATUSES, type Severity } from '@airfleet/contracts';
import { renderDigest, renderMessage, type Locale, type MessageInput } from './notification-messages.domain.ts';
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

const BASE = 'https://fleet.example.com/airfleet/';
const ROOT = 'https://fleet.example.com/airfleet';
const ROLES = ['admin', 'operator', 'service', 'customer'] as const;
const URL_RE = /https?:\/\/\S+/g;
const hrefs = (html: string): string[] => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'));

describe('links to what the mail is about (PUBLIC_URL)', () => {
  const first = (input: MessageInput, role: (typeof ROLES)[number]) => renderMessage(input, 'en', { baseUrl: BASE, role });
  const byTemplate = (t: MessageInput['template']) => cases.find((c) => c.input.template === t)!.input;

  it.each([
    ['alarm', 'service', [`${ROOT}/alarms?device=${DEVICE}`, `${ROOT}/machines/${DEVICE}`]],
    ['alarm', 'operator', [`${ROOT}/alarms?device=${DEVICE}`, `${ROOT}/machines/${DEVICE}`]],
    ['alarm', 'admin', [`${ROOT}/alarms?device=${DEVICE}`, `${ROOT}/machines/${DEVICE}`]],
    // A customer's navigation has no alarms page: their machine page shows its alarms.
    ['alarm', 'customer', [`${ROOT}/machines/${DEVICE}`]],
    ['escalation', 'admin', [`${ROOT}/alarms?device=${DEVICE}`, `${ROOT}/machines/${DEVICE}`]],
    ['escalation', 'customer', [`${ROOT}/machines/${DEVICE}`]],
    ['inspection', 'operator', [`${ROOT}/machines/${DEVICE}`]],
    ['service_due', 'service', [`${ROOT}/machines/${DEVICE}`, `${ROOT}/service/inbox`]],
    ['service_due', 'customer', [`${ROOT}/machines/${DEVICE}`]],
    ['work_order', 'service', [`${ROOT}/work-orders/12`, `${ROOT}/machines/${DEVICE}`]],
    ['work_order', 'operator', [`${ROOT}/machines/${DEVICE}`]],
    ['service_request', 'admin', [`${ROOT}/service/inbox`, `${ROOT}/machines/${DEVICE}`]],
    ['service_request', 'customer', [`${ROOT}/requests/7`, `${ROOT}/machines/${DEVICE}`]],
  ] as const)('%s for %s', (template, role, expected) => {
    const msg = first(byTemplate(template), role);
    const settings = `${ROOT}/settings/notifications`;
    // The same links in the plain text and as anchors in the HTML, then the settings link in the footer.
    expect(msg.text.match(URL_RE)).toEqual([...expected, settings]);
    expect(hrefs(msg.html)).toEqual([...expected, settings]);
    expect(msg.url).toBe(expected[0]);
  });

  it.each(ROLES)('a %s gets only pages the role can open, in every mail of the table', (role) => {
    for (const c of cases) {
      for (const locale of LOCALES) {
        const msg = renderMessage(c.input, locale, { baseUrl: BASE, role });
        const links = [...(msg.text.match(URL_RE) ?? []), ...hrefs(msg.html)];
        expect(links.length, c.name).toBeGreaterThan(0);
        for (const link of links) {
          expect(link.startsWith(`${ROOT}/`), link).toBe(true);
          const path = link.slice(ROOT.length);
          if (role === 'customer') expect(path, c.name).toMatch(/^\/(machines|requests|settings\/notifications)(\/|$)/);
          if (role === 'operator') expect(path, c.name).not.toMatch(/^\/(service|work-orders|requests)/);
        }
      }
    }
  });

  it('links keep the wording clean: no raw codes, no English in Chinese mails besides the links', () => {
    for (const c of cases) {
      const { subject, text } = renderMessage(c.input, 'zh-CN', { baseUrl: BASE, role: 'service' });
      let rest = `${subject}\n${text}`.replace(URL_RE, '').replaceAll('AirFleet', '').replaceAll(DEVICE, '').replaceAll(UNIT, '');
      for (const code of c.codes ?? []) rest = rest.replaceAll(code, '');
      expect(rest, c.name).not.toMatch(LATIN_WORD);
      expect(rest, c.name).not.toMatch(SNAKE_CASE);
    }
  });

  it('without PUBLIC_URL no mail carries a link, relative or absolute', () => {
    for (const c of cases) {
      for (const locale of LOCALES) {
        const msg = renderMessage(c.input, locale);
        expect(msg.text, c.name).not.toMatch(/https?:|\/machines\/|\/settings\//);
        expect(msg.html, c.name).not.toContain('href');
        expect(msg.url).toBeNull();
      }
    }
    expect(renderMessage(cases[0]!.input, 'en', { baseUrl: 'javascript:alert(1)', role: 'admin' }).html).not.toContain('href');
  });

  it('ids in link paths are encoded: a strange id cannot add path parts or a query', () => {
    const msg = renderMessage({ template: 'work_order', workOrderId: '../admin?x=1', deviceId: 'AF 1/2', status: 'open', title: 't', scheduledFor: null }, 'en', { baseUrl: BASE, role: 'service' });
    expect(msg.text).toContain(`${ROOT}/work-orders/..%2Fadmin%3Fx%3D1`);
    expect(msg.text).toContain(`${ROOT}/machines/AF%201%2F2`);
    const alarm = renderMessage({ template: 'alarm', deviceId: 'AF 1/2&state=x', alarmType: 'motor_overload', alarmMessage: 'm', severity: 'major' }, 'en', { baseUrl: BASE, role: 'operator' });
    expect(alarm.url).toBe(`${ROOT}/alarms?device=AF+1%2F2%26state%3Dx`);
  });
});

describe('HTML part: readable, every value escaped', () => {
  const hostile = '<script>alert("x")</script> & <b>co</b>';

  it('a typed work-order title arrives as text, in the subject, body and title of the HTML', () => {
    const msg = renderMessage({ template: 'work_order', workOrderId: '31', deviceId: '<img src=x onerror=alert(1)>', status: 'scheduled', title: hostile, scheduledFor: '2026-11-24' }, 'en', { baseUrl: BASE, role: 'service' });
    expect(msg.text).toContain(`(${hostile})`);
    expect(msg.html).not.toMatch(/<script|<b>|<img/);
    expect(msg.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;co&lt;/b&gt;');
    expect(msg.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The device id is escaped in the link's address as well as encoded in the path.
    expect(hrefs(msg.html)).toContain(`${ROOT}/machines/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E`);
  });

  it('a customer request’s own words and a device id in an alarm are escaped too', () => {
    const request = renderMessage({ template: 'service_request', requestId: '9', deviceId: DEVICE, customerId: 'c"1', title: 'x', requestKind: 'service', message: hostile }, 'zh-CN');
    expect(request.html).not.toMatch(/<script|<b>/);
    expect(request.html).toContain('c&quot;1');
    const alarm = renderMessage({ template: 'alarm', deviceId: 'AF<1>', alarmType: 'motor_overload', alarmMessage: hostile, severity: 'critical' }, 'en');
    expect(alarm.html).toContain('AF&lt;1&gt;');
    expect(alarm.html).not.toMatch(/<script|<b>|AF<1>/);
  });

  it('keeps the text’s lines and paragraphs', () => {
    const msg = renderMessage({ template: 'alarm', deviceId: DEVICE, alarmType: 'motor_overload', alarmMessage: 'Motor current 120 %', severity: 'major' }, 'en');
    expect(msg.html).toMatch(/<p>Machine AF75-000226 raised a major alarm: Motor overload\.<br>Details: Motor current 120 %<br>What to do: [^<]+<\/p>\n<p>Please review and acknowledge it in the AirFleet dashboard\.<\/p>/);
    expect(msg.html).toContain('<html lang="en">');
  });
});

describe('digest: every item links to its page', () => {
  const items = [
    { subject: 'Minor <thing>', severity: 'minor' as const, createdAtMs: Date.UTC(2026, 10, 23, 8, 0), url: `${ROOT}/machines/${DEVICE}` },
    { subject: 'Major one', severity: 'major' as const, createdAtMs: Date.UTC(2026, 10, 23, 9, 0), url: `${ROOT}/work-orders/5` },
    { subject: 'Stored before links', severity: 'info' as const, createdAtMs: Date.UTC(2026, 10, 23, 10, 0), url: null },
  ];

  it('links each item, most severe first, and the settings', () => {
    const d = renderDigest(items, 'en', '2026-11-23', { baseUrl: BASE, role: 'service' });
    expect(d.text.match(URL_RE)).toEqual([`${ROOT}/work-orders/5`, `${ROOT}/machines/${DEVICE}`, `${ROOT}/settings/notifications`]);
    expect(hrefs(d.html)).toEqual([`${ROOT}/work-orders/5`, `${ROOT}/machines/${DEVICE}`, `${ROOT}/settings/notifications`]);
    expect(d.html).toContain('Minor &lt;thing&gt;</a>');
    expect(d.html).toContain('Stored before links</li>');
  });

  it('without PUBLIC_URL: no links, even stored ones', () => {
    const d = renderDigest(items, 'zh-CN', '2026-11-23');
    expect(d.text).not.toMatch(/https?:/);
    expect(d.html).not.toContain('href');
  });
});
