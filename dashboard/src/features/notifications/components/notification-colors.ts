import type { Notification, NotificationStatus } from '@airfleet/contracts';

/** Given up (dead) is the one an admin must act on: filled red. */
export const DELIVERY_COLOR: Record<NotificationStatus, string> = { pending: 'gray', sent: 'green', failed: 'orange', dead: 'red', skipped: 'gray', digest_queued: 'blue' };
export const SEVERITY_COLOR: Record<Notification['severity'], string> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'blue', info: 'gray' };
