import type { workOrderLevelEn } from './work-order-level.en.ts';

/** 工单页：设备下次保养所需级别已高于工单级别时的提示。 */
export const workOrderLevelZhCN: Record<keyof typeof workOrderLevelEn, string> = {
  below: '工单为{{orderLevel}}，现应做{{dueLevel}}。',
  raise: '改为{{dueLevel}}',
  raiseFailed: '无法修改级别：{{message}}',
};
