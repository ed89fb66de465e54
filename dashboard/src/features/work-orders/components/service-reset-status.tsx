import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WorkOrder } from '@airfleet/contracts';
import { formatDateTime } from '../../../lib/format.ts';

type Reset = WorkOrder['serviceReset'];
type ResetStatus = NonNullable<Reset>['status'];

const COLOR: Record<ResetStatus, string> = { pending: 'gray', sent: 'blue', applied: 'green', rejected: 'red', ignored: 'orange', expired: 'gray' };

/**
 * The machine's answer to the service_reset judgment sent on completion: it resets its
 * own service counters and acknowledges. Updated live when the acknowledgement arrives.
 */
export function ServiceResetStatus({ reset }: { reset: Reset }) {
  const { t, i18n } = useTranslation();
  return (
    <Paper withBorder radius="sm" p="xs" data-testid="service-reset" data-status={reset?.status ?? 'none'} aria-live="polite">
      <Stack gap={2}>
        <Group gap={6}>
          <Text size="sm" fw={600}>
            {t('service.workOrders.reset.title')}
          </Text>
          {reset && (
            <Badge color={COLOR[reset.status]} variant={reset.status === 'applied' ? 'filled' : 'light'}>
              {t(`service.workOrders.reset.short.${reset.status}`)}
            </Badge>
          )}
        </Group>
        {reset && <Text size="sm">{t(`service.workOrders.reset.${reset.status}`)}</Text>}
        {!reset && (
          <Text size="sm" c="dimmed">
            {t('service.workOrders.reset.none')}
          </Text>
        )}
        {reset?.ack?.reason && (
          <Text size="xs" c="dimmed">
            {t('service.workOrders.reset.deviceSaid', { reason: reset.ack.reason })}
          </Text>
        )}
        {reset?.ack && (
          <Text size="xs" c="dimmed">
            {t('service.workOrders.reset.ackAt', { time: formatDateTime(reset.ack.ts, i18n.language) })}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
