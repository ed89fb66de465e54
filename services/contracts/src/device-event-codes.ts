/**
 * Controller event codes devices send in `events.code`. Firmware may send others (they
 * are stored as they come); these are the ones the cloud's rules understand.
 */
export const DEVICE_EVENT_CODES = {
  ADT_HIGH_WARNING: 'ADT_HIGH_WARNING',
  ADT_HIGH_TRIP: 'ADT_HIGH_TRIP',
  OVERLOAD_TRIP: 'OVERLOAD_TRIP',
  MOTOR_CURRENT_WARNING: 'MOTOR_CURRENT_WARNING',
  HIGH_PRESSURE_TRIP: 'HIGH_PRESSURE_TRIP',
  VIBRATION_TRIP: 'VIBRATION_TRIP',
  START_INHIBITED: 'START_INHIBITED',
  AUTO_START: 'AUTO_START',
  IDLE_STOP: 'IDLE_STOP',
  WEEK_TIMER_STOP: 'WEEK_TIMER_STOP',
  REMOTE_STOP: 'REMOTE_STOP',
  TRIP_RESET: 'TRIP_RESET',
  /** A `service_reset` judgment was applied: the level's service counters restarted. */
  SERVICE_RESET: 'SERVICE_RESET',
  SENSOR_FAULT: 'SENSOR_FAULT',
} as const;
export type DeviceEventCode = (typeof DEVICE_EVENT_CODES)[keyof typeof DEVICE_EVENT_CODES];
