import type { WorkOrderStatus } from '@airfleet/contracts';

export const STATUS_COLOR: Record<WorkOrderStatus, string> = {
  open: 'gray',
  scheduled: 'blue',
  in_progress: 'orange',
  done: 'green',
  cancelled: 'gray',
};
