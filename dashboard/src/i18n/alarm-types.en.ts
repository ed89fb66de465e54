/**
 * Names of the alarm types the platform raises (`alarms.type`: rules, device events, connectivity,
 * the service plan), in English. Shared by every page that names an alarm; device codes without a
 * name here (`trip:<CODE>`, `warning:<CODE>`) and service levels are worded by the patterns below.
 */
export const alarmTypesEn = {
  name: {
    element_temp_warning: 'High element temperature',
    element_temp_shutdown: 'Element temperature shutdown',
    pressure_high: 'High net pressure',
    pressure_trip: 'High-pressure trip',
    separator_dp_warning: 'Oil separator clogging',
    separator_replace: 'Replace oil separator',
    air_filter_dp_warning: 'Air filter clogging',
    air_filter_replace: 'Replace air filter',
    vibration_elevated: 'Vibration rising',
    vibration_warning: 'High vibration',
    vibration_trip: 'Vibration trip',
    motor_current_warning: 'High motor current',
    motor_overload: 'Motor overload',
    starts_per_hour: 'Too many motor starts',
    adt_rise_rate: 'Element temperature creeping up',
    sensor_fault: 'Sensor fault',
    device_offline: 'Machine offline',
    data_gap: 'No data from machine',
    device_trip: 'Machine tripped',
    device_warning: 'Machine warning',
  },
  trip: 'Machine tripped: {{code}}',
  warning: 'Machine warning: {{code}}',
  serviceOverdue: '{{level}} overdue',
  level: { first: 'First service', A: 'Service A', B: 'Service B', C: 'Service C' },
  other: 'Alarm {{type}}',
} as const;
