import { Alert, Badge, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { JudgmentStatus, Severity } from '@airfleet/contracts';
import { formatDateTime } from '../../../lib/format.ts';
import { useDeviceJudgments } from '../api/judgments.ts';

const STATUS_COLOR: Record<JudgmentStatus, string> = {
  pending: 'gray',
  sent: 'blue',
  applied: 'green',
  rejected: 'red',
  ignored: 'orange',
  expired: 'gray',
};
const SEVERITY_COLOR: Record<Severity, string> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'blue', info: 'gray' };

/** What the cloud told this machine and what the machine answered (applied, rejected, …). */
export function DeviceJudgmentsPanel({ deviceId }: { deviceId: string }) {
  const { t, i18n } = useTranslation();
  const judgments = useDeviceJudgments(deviceId);
  if (judgments.isPending) return <Loader size="sm" aria-label={t('app.loading')} />;
  if (judgments.isError) return <Alert color="red">{t('judgments.loadFailed')}</Alert>;
  if (judgments.data === null) return <Text c="dimmed">{t('judgments.unavailable')}</Text>;
  if (judgments.data.items.length === 0) return <Text c="dimmed">{t('judgments.empty')}</Text>;
  return (
    <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="judgments-list">
      {judgments.data.items.map(({ judgment, status, ack, createdAt, statusReason }) => (
        <Paper key={judgment.id} component="li" withBorder p="xs" radius="sm">
          <Group justify="space-between" wrap="wrap" gap={6}>
            <Group gap={6}>
              <Badge color={SEVERITY_COLOR[judgment.severity]} variant="light">
                {t(`judgments.kind.${judgment.kind}`)}
              </Badge>
              <Badge color={STATUS_COLOR[status]} variant="outline">
                {t(`judgments.status.${status}`)}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              {t('judgments.created', { time: formatDateTime(createdAt, i18n.language) })}
            </Text>
          </Group>
          <Text size="sm" mt={4}>
            {judgment.reason}
          </Text>
          {(ack?.reason ?? statusReason) && (
            <Text size="xs" c="dimmed">
              {t('judgments.deviceSaid', { reason: ack?.reason ?? statusReason ?? '' })}
            </Text>
          )}
        </Paper>
      ))}
    </Stack>
  );
}
