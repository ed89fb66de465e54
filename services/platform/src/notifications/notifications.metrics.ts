import { Counter, type Registry } from 'prom-client';

export interface NotificationsMetrics {
  /** Notification rows stored, per kind, channel and initial status (pending, digest_queued, skipped). */
  created: Counter<'kind' | 'channel' | 'status'>;
  /** Delivery attempts' outcomes: sent | failed (will retry) | dead | skipped. Alert on `dead`. */
  deliveries: Counter<'channel' | 'outcome'>;
  escalations: Counter<'level'>;
}

/** One set per registry; an existing metric is reused (several runtimes in one test process). */
export function createNotificationsMetrics(registry: Registry): NotificationsMetrics {
  const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  const registers = [registry];
  return {
    created: get('airfleet_notifications_created_total', () => new Counter({ name: 'airfleet_notifications_created_total', help: 'Notification log rows created', labelNames: ['kind', 'channel', 'status'] as const, registers })),
    deliveries: get('airfleet_notification_deliveries_total', () => new Counter({ name: 'airfleet_notification_deliveries_total', help: 'Notification delivery attempts by outcome', labelNames: ['channel', 'outcome'] as const, registers })),
    escalations: get('airfleet_notification_escalations_total', () => new Counter({ name: 'airfleet_notification_escalations_total', help: 'Critical alarms escalated, by level reached', labelNames: ['level'] as const, registers })),
  };
}
