import type { ReportLocale } from '@airfleet/contracts';

/**
 * Alarms and service due dates in words a plant manager reads without a manual,
 * in English and Simplified Chinese. Unknown types fall back to the alarm's own message.
 */
const ALERTS: Record<string, { en: string; zh: string }> = {
  element_temp_warning: { en: 'Running hot: the compressor element is warmer than it should be. Check the cooler and the oil level.', zh: '温度偏高：压缩机主机温度高于正常值，请检查冷却器和油位。' },
  element_temp_shutdown: { en: 'Stopped to protect itself: the element overheated.', zh: '为自我保护已停机：主机过热。' },
  pressure_high: { en: 'Pressure higher than set: energy is being wasted and the relief valve may open.', zh: '压力高于设定值：浪费能源，安全阀可能动作。' },
  pressure_trip: { en: 'Stopped on high pressure.', zh: '因压力过高停机。' },
  separator_dp_warning: { en: 'The oil separator is clogging: plan a replacement soon.', zh: '油分离器正在堵塞：请尽快安排更换。' },
  separator_replace: { en: 'Replace the oil separator now: it is costing energy every hour.', zh: '请立即更换油分离器：它每小时都在增加能耗。' },
  air_filter_dp_warning: { en: 'The air filter is getting dirty: plan a replacement.', zh: '空气滤芯变脏：请安排更换。' },
  air_filter_replace: { en: 'Replace the air filter now.', zh: '请立即更换空气滤芯。' },
  vibration_elevated: { en: 'Vibration is rising: a bearing may be wearing. Have it inspected.', zh: '振动在上升：轴承可能磨损，请安排检查。' },
  vibration_warning: { en: 'High vibration: have the machine inspected soon.', zh: '振动过高：请尽快检查设备。' },
  vibration_trip: { en: 'Stopped on very high vibration.', zh: '因振动过大停机。' },
  motor_current_warning: { en: 'The motor draws more current than normal.', zh: '电机电流高于正常值。' },
  motor_overload: { en: 'Stopped on motor overload.', zh: '因电机过载停机。' },
  starts_per_hour: { en: 'Starting too often: the air demand or the settings need a look.', zh: '启动过于频繁：请检查用气需求或设定。' },
  device_offline: { en: 'Not connected: we have not heard from this machine.', zh: '未连接：暂时收不到这台设备的数据。' },
  data_gap: { en: 'Connected but not sending data.', zh: '已连接但没有发送数据。' },
  adt_rise_rate: { en: 'The element temperature has been creeping up for days: the cooler may be fouling.', zh: '主机温度连日缓慢上升：冷却器可能脏堵。' },
};

export function alertText(type: string, fallback: string, locale: ReportLocale): string {
  if (type.startsWith('service_overdue_')) {
    const level = type.slice('service_overdue_'.length);
    return locale === 'zh-CN' ? `${levelName(level, locale)}已到期：请预约保养。` : `${levelName(level, locale)} is overdue: please book the service.`;
  }
  if (type.startsWith('trip:') || type === 'trip') return locale === 'zh-CN' ? `设备已跳闸停机（${type.slice(5) || '—'}）。` : `The machine tripped and stopped (${type.slice(5) || '—'}).`;
  const known = ALERTS[type];
  if (known) return locale === 'zh-CN' ? known.zh : known.en;
  return fallback;
}

export function levelName(level: string, locale: ReportLocale): string {
  if (level === 'first') return locale === 'zh-CN' ? '首次保养' : 'The first service';
  return locale === 'zh-CN' ? `${level} 级保养` : `Service level ${level}`;
}

/** The next service in words; `includes`: the lower levels the service covers (docs/domain.md §5: B = A + …). */
export function maintenanceText(level: string, dueInDays: number, overdue: boolean, locale: ReportLocale, includes: readonly string[] = []): string {
  const days = Math.max(0, Math.round(dueInDays));
  const zh = locale === 'zh-CN';
  const covered = includes.map((l) => (l === 'first' ? (zh ? '首次保养' : 'the first service') : l));
  const name = includes.length === 0 ? levelName(level, locale) : zh ? `${levelName(level, locale)}（含 ${covered.join('、')}）` : `${levelName(level, locale)} (includes ${covered.join(', ')})`;
  if (zh) return overdue ? `${name}已到期。` : `${name}约在 ${days} 天后到期。`;
  return overdue ? `${name} is due now.` : `${name} is due in about ${days} days.`;
}
