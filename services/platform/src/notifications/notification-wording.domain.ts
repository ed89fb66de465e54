import type { InboxSubject, Severity, User } from '@airfleet/contracts';
import { alertText } from '../usage/plain-language.domain.ts';

/**
 * The one wording table of notifications: every code a mail or webhook subject would otherwise
 * show raw (fleet checks, alarm types, service levels, work-order statuses, request kinds),
 * named in English and Simplified Chinese. Messages take names from here, never print a code.
 */
export type Locale = User['locale'];
type Words = Readonly<{ en: string; zh: string }>;

const pick = (w: Words, locale: Locale): string => (locale === 'zh-CN' ? w.zh : w.en);

/** The fleet comparison checks (fleet job, `inspect` judgments). */
export const CHECK_NAMES: Readonly<Record<string, Words>> = {
  specific_power: { en: 'specific power at rated pressure', zh: '额定压力下的比功率' },
  adt_delta: { en: 'element temperature above ambient at load', zh: '加载时主机温度与环境温度之差' },
  unloaded_share: { en: 'unloaded share of running time', zh: '卸载运行时间占比' },
  separator_dp_growth: { en: 'growth of the oil separator pressure drop', zh: '油气分离器压差增长' },
  inspection: { en: 'comparison with machines of the same model', zh: '与同型号设备的比较' },
};

/** Alarm types the platform raises (rules, device events, connectivity). */
export const ALARM_NAMES: Readonly<Record<string, Words>> = {
  element_temp_warning: { en: 'High element temperature', zh: '主机温度高' },
  element_temp_shutdown: { en: 'Element temperature shutdown', zh: '主机温度过高停机' },
  pressure_high: { en: 'High net pressure', zh: '排气压力高' },
  pressure_trip: { en: 'High-pressure trip', zh: '压力过高停机' },
  separator_dp_warning: { en: 'Oil separator clogging', zh: '油气分离器堵塞' },
  separator_replace: { en: 'Replace oil separator', zh: '需更换油气分离器' },
  air_filter_dp_warning: { en: 'Air filter clogging', zh: '空气滤芯堵塞' },
  air_filter_replace: { en: 'Replace air filter', zh: '需更换空气滤芯' },
  vibration_elevated: { en: 'Vibration rising', zh: '振动上升' },
  vibration_warning: { en: 'High vibration', zh: '振动过高' },
  vibration_trip: { en: 'Vibration trip', zh: '振动过大停机' },
  motor_current_warning: { en: 'High motor current', zh: '电机电流高' },
  motor_overload: { en: 'Motor overload', zh: '电机过载' },
  starts_per_hour: { en: 'Too many motor starts', zh: '电机启动过于频繁' },
  adt_rise_rate: { en: 'Element temperature creeping up', zh: '主机温度持续上升' },
  sensor_fault: { en: 'Sensor fault', zh: '传感器故障' },
  device_offline: { en: 'Machine offline', zh: '设备离线' },
  data_gap: { en: 'No data from the machine', zh: '设备无数据' },
  device_trip: { en: 'Machine tripped', zh: '设备跳闸' },
  device_warning: { en: 'Machine warning', zh: '设备警告' },
};

const LEVEL_NAMES: Readonly<Record<string, Words>> = {
  first: { en: 'the first service', zh: '首次保养' },
  A: { en: 'service level A', zh: 'A 级保养' },
  B: { en: 'service level B', zh: 'B 级保养' },
  C: { en: 'service level C', zh: 'C 级保养' },
};

export const WORK_ORDER_STATUS_NAMES: Readonly<Record<string, Words>> = {
  open: { en: 'open', zh: '待处理' },
  scheduled: { en: 'scheduled', zh: '已排期' },
  in_progress: { en: 'in progress', zh: '进行中' },
  done: { en: 'done', zh: '已完成' },
  cancelled: { en: 'cancelled', zh: '已取消' },
};

export const REQUEST_KIND_NAMES: Readonly<Record<string, Words>> = {
  service: { en: 'Service request', zh: '服务请求' },
  parts_quote: { en: 'Parts quote request', zh: '配件报价请求' },
};

const CONDITION_NAMES: Readonly<Record<string, Words>> = {
  separator: { en: 'Replace oil separator element', zh: '更换油气分离器滤芯' },
  air_filter: { en: 'Replace air-filter element', zh: '更换空气滤芯' },
};

export const SEVERITY_NAMES: Readonly<Record<Severity, Words>> = {
  critical: { en: 'Critical', zh: '严重' },
  major: { en: 'Major', zh: '重要' },
  minor: { en: 'Minor', zh: '次要' },
  warning: { en: 'Warning', zh: '警告' },
  info: { en: 'Info', zh: '信息' },
};

/** A code no table knows yet, made readable rather than shown raw: `oil_level_low` → "oil level low". */
export function humanize(code: string): string {
  return code.replace(/[_:]+/g, ' ').trim();
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function checkName(check: string, locale: Locale): string {
  const w = CHECK_NAMES[check];
  if (w) return pick(w, locale);
  return locale === 'zh-CN' ? `运行指标（${humanize(check)}）` : `operating figure “${humanize(check)}”`;
}

/** "Service level B", "首次保养"; `includes`: the lower levels the service covers (B = A + …). */
export function levelName(level: string, locale: Locale, includes: readonly string[] = [], capital = false): string {
  const base = LEVEL_NAMES[level] ? pick(LEVEL_NAMES[level], locale) : locale === 'zh-CN' ? `${level} 级保养` : `service level ${level}`;
  const short = includes.map((l) => (l === 'first' ? pick(LEVEL_NAMES.first!, locale) : l));
  const named = includes.length === 0 ? base : locale === 'zh-CN' ? `${base}（含 ${short.join('、')}）` : `${base} (includes ${short.join(', ')})`;
  return capital ? capitalize(named) : named;
}

export function alarmName(type: string, locale: Locale): string {
  const known = ALARM_NAMES[type];
  if (known) return pick(known, locale);
  const [kind, code] = type.split(':');
  // Device codes (`trip:OIL_LEVEL_LOW`) are the maker's own: kept as sent, technicians look them up.
  if (code && kind === 'trip') return locale === 'zh-CN' ? `设备跳闸：${code}` : `Machine tripped: ${code}`;
  if (code && kind === 'warning') return locale === 'zh-CN' ? `设备警告：${code}` : `Machine warning: ${code}`;
  if (type.startsWith('service_overdue_')) return locale === 'zh-CN' ? `${levelName(type.slice(16), locale)}已逾期` : `${levelName(type.slice(16), locale, [], true)} overdue`;
  return locale === 'zh-CN' ? `报警（${humanize(type)}）` : capitalize(humanize(type));
}

/** What the customer or technician should do about an alarm, in plain words; null when none is known. */
export function alarmAdvice(type: string, locale: Locale): string | null {
  const text = alertText(type, '', locale);
  return text === '' ? null : text;
}

export function workOrderStatusName(status: string, locale: Locale): string {
  const w = WORK_ORDER_STATUS_NAMES[status];
  return w ? pick(w, locale) : humanize(status);
}

export function requestKindName(kind: string, locale: Locale): string {
  const w = REQUEST_KIND_NAMES[kind];
  return w ? pick(w, locale) : pick(REQUEST_KIND_NAMES.service!, locale);
}

export function severityName(severity: Severity, locale: Locale): string {
  return pick(SEVERITY_NAMES[severity], locale);
}

/** A machine-made title (an inbox item's subject) in the reader's language. */
export function subjectName(subject: InboxSubject, locale: Locale): string {
  switch (subject.kind) {
    case 'maintenance':
      return levelName(subject.level, locale, subject.includes ?? [], true);
    case 'alarm':
      return alarmName(subject.alarmType, locale);
    case 'condition':
      return pick(CONDITION_NAMES[subject.task]!, locale);
    case 'request':
      return requestKindName(subject.requestKind, locale);
    case 'inspect':
      return locale === 'zh-CN' ? `检查：${checkName(subject.check, locale)}` : `Inspect: ${checkName(subject.check, locale)}`;
  }
}
