import { DEVICE_EVENT_CODES, type AlarmSeverity, type DeviceEvent } from '@airfleet/contracts';
import type { DeviceAlarmState } from './rule-state.ts';
import type { AlarmClear, AlarmRaise } from './rule-types.ts';

const C = DEVICE_EVENT_CODES;

/**
 * Controller codes → alarm types. Where the cloud has a rule for the same condition the
 * type is shared, so a device trip and the cloud's own reading of it are one alarm
 * ("one active alarm per (device, type)"), not two.
 */
export const EVENT_ALARMS: Readonly<Record<string, { type: string; severity: AlarmSeverity }>> = {
  [C.ADT_HIGH_WARNING]: { type: 'element_temp_warning', severity: 'major' },
  [C.ADT_HIGH_TRIP]: { type: 'element_temp_shutdown', severity: 'critical' },
  [C.OVERLOAD_TRIP]: { type: 'motor_overload', severity: 'critical' },
  [C.MOTOR_CURRENT_WARNING]: { type: 'motor_current_warning', severity: 'major' },
  [C.HIGH_PRESSURE_TRIP]: { type: 'pressure_trip', severity: 'critical' },
  [C.VIBRATION_TRIP]: { type: 'vibration_trip', severity: 'critical' },
  [C.START_INHIBITED]: { type: 'starts_per_hour', severity: 'warning' },
  [C.SENSOR_FAULT]: { type: 'sensor_fault', severity: 'minor' },
};

/** The alarm a trip or warning event stands for; other event types raise nothing. */
export function alarmForEvent(event: DeviceEvent): AlarmRaise | null {
  if (event.type !== 'trip' && event.type !== 'warning') return null;
  const known = event.code ? EVENT_ALARMS[event.code] : undefined;
  const type = known?.type ?? (event.code ? `${event.type}:${event.code}` : `device_${event.type}`);
  const severity: AlarmSeverity = known?.severity ?? (event.type === 'trip' ? 'critical' : 'warning');
  const values = event.values ?? {};
  const first = Object.values(values)[0];
  const label = event.type === 'trip' ? 'Machine tripped' : 'Machine warning';
  return {
    type,
    severity,
    source: 'device',
    message: event.message ?? `${label}${event.code ? `: ${event.code}` : ''}`,
    value: typeof first === 'number' ? first : null,
    threshold: null,
    ts: event.ts,
    details: { code: event.code ?? null, eventType: event.type, values },
  };
}

/**
 * When device-raised alarms end: a trip once the machine was reset (a `reset` event, or a
 * later sample in a state other than `tripped`); a warning once the device has not repeated
 * it for a quiet period (controllers report warnings, not their end).
 */
export function deviceAlarmsEnded(
  active: Readonly<Record<string, DeviceAlarmState>>,
  at: { ts: number; resetEvent: boolean; machineState: string | null },
  quietMs: number,
): AlarmClear[] {
  const out: AlarmClear[] = [];
  for (const [type, s] of Object.entries(active)) {
    if (at.ts < s.ts) continue;
    if (s.kind === 'trip' && (at.resetEvent || (at.machineState !== null && at.machineState !== 'tripped' && at.ts > s.ts))) {
      out.push({ type, ts: at.ts, reason: at.resetEvent ? 'trip reset on the machine' : `machine ${at.machineState} again` });
    } else if (s.kind === 'warning' && (at.resetEvent || at.ts - s.ts >= quietMs)) {
      out.push({ type, ts: at.ts, reason: at.resetEvent ? 'reset on the machine' : 'warning not repeated' });
    }
  }
  return out;
}
