import type { alarmFilterEn } from './alarm-filter.en.ts';

/** 按设备筛选的报警页（`/alarms?device=<id>`）及设备页上的链接。 */
export const alarmFilterZhCN: Record<keyof typeof alarmFilterEn, string> = {
  machine: '设备：{{machine}}',
  clearMachine: '显示所有设备的报警',
  allOfMachine: '该设备的全部报警',
};
