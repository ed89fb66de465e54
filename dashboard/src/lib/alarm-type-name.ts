import type { TFunction } from 'i18next';
import { alarmTypesEn } from '../i18n/alarm-types.en.ts';

type AlarmTypeName = keyof typeof alarmTypesEn.name;
const isAlarmTypeName = (type: string): type is AlarmTypeName => Object.hasOwn(alarmTypesEn.name, type);
const isLevel = (level: string): level is 'first' | 'A' | 'B' | 'C' => level === 'first' || level === 'A' || level === 'B' || level === 'C';

/**
 * An alarm type's name in the reader's language (`alarmType` strings, in the main catalogue so
 * any page can use it): a known type, a device code (`trip:<CODE>`, `warning:<CODE>`), an
 * overdue service level (`service_overdue_A`), or else the type itself.
 */
export function alarmTypeName(type: string, t: TFunction): string {
  if (isAlarmTypeName(type)) return t(`alarmType.name.${type}`);
  const [kind, code] = type.split(':');
  if (code && kind === 'trip') return t('alarmType.trip', { code });
  if (code && kind === 'warning') return t('alarmType.warning', { code });
  const level = type.startsWith('service_overdue_') ? type.slice('service_overdue_'.length) : null;
  if (level && isLevel(level)) return t('alarmType.serviceOverdue', { level: t(`alarmType.level.${level}`) });
  return t('alarmType.other', { type });
}
