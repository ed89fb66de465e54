import type { InboxItem, WorkOrderStatus } from '@airfleet/contracts';

/** Most urgent in red; planned work in calmer colours (the order is the inbox's priority rank). */
export const CATEGORY_COLOR: Record<InboxItem['category'], string> = {
  critical_alarm: 'red',
  overdue: 'red',
  condition: 'orange',
  major_alarm: 'orange',
  request: 'violet',
  due_soon: 'yellow',
  inspection: 'blue',
};

export const WORK_ORDER_STATUS_COLOR: Record<WorkOrderStatus, string> = {
  open: 'gray',
  scheduled: 'blue',
  in_progress: 'orange',
  done: 'green',
  cancelled: 'gray',
};
