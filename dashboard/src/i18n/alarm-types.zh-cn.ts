import type { alarmTypesEn } from './alarm-types.en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };

/** 报警类型名称（与英文目录同键）。 */
export const alarmTypesZhCN: Widen<typeof alarmTypesEn> = {
  name: {
    element_temp_warning: '主机温度高',
    element_temp_shutdown: '主机温度过高停机',
    pressure_high: '排气压力高',
    pressure_trip: '压力过高停机',
    separator_dp_warning: '油气分离器堵塞',
    separator_replace: '需更换油气分离器',
    air_filter_dp_warning: '空气滤芯堵塞',
    air_filter_replace: '需更换空气滤芯',
    vibration_elevated: '振动上升',
    vibration_warning: '振动过高',
    vibration_trip: '振动过大停机',
    motor_current_warning: '电机电流高',
    motor_overload: '电机过载',
    starts_per_hour: '电机启动过于频繁',
    adt_rise_rate: '主机温度持续上升',
    sensor_fault: '传感器故障',
    device_offline: '设备离线',
    data_gap: '设备无数据',
    device_trip: '设备跳闸',
    device_warning: '设备警告',
  },
  trip: '设备跳闸：{{code}}',
  warning: '设备警告：{{code}}',
  serviceOverdue: '{{level}}已逾期',
  level: { first: '首次保养', A: 'A 级保养', B: 'B 级保养', C: 'C 级保养' },
  other: '报警 {{type}}',
};
