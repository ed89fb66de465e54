import { Alert, Anchor, Badge, Button, Group, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { NOTIFICATION_CHANNELS, NOTIFICATION_KINDS, NOTIFICATION_STATUSES } from '@airfleet/contracts';
import { PageHeader } from '../../../components/page-header.tsx';
import { ListTable } from '../../../components/list-table.tsx';
import { usePageTitle, useSearchParamSetter } from '../../../components/page-hooks.ts';
import { QueryState } from '../../../components/query-state.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useNotificationLog, useRetryNotification, type NotificationsFilter } from '../api/notifications.ts';
import { DELIVERY_COLOR, SEVERITY_COLOR } from './notification-colors.ts';
import { WebhooksPanel } from './webhooks-panel.tsx';

function pick<T extends string>(all: readonly T[], value: string | null): T | undefined {
  return (all as readonly string[]).includes(value ?? '') ? (value as T) : undefined;
}

/** Admins: every notification with its delivery status, failed ones retried by hand; the webhook endpoints. */
export function NotificationLogPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [params] = useSearchParams();
  const filter: NotificationsFilter = {
    status: pick(NOTIFICATION_STATUSES, params.get('status')),
    kind: pick(NOTIFICATION_KINDS, params.get('kind')),
    channel: pick(NOTIFICATION_CHANNELS, params.get('channel')),
  };
  const log = useNotificationLog(filter);
  const retry = useRetryNotification();
  const [error, setError] = useState<string | null>(null);

  const set = useSearchParamSetter();
  usePageTitle(t('service.notifications.log.title'));
  const all = { value: '', label: t('service.common.all') };

  return (
    <Stack gap="md">
      <PageHeader title={t('service.notifications.log.title')} count={log.data && t('service.notifications.log.total', { count: log.data.total })} />
      <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('service.common.filters')}>
        <NativeSelect
          label={t('service.notifications.log.filters.status')}
          value={filter.status ?? ''}
          onChange={(e) => set('status', e.currentTarget.value)}
          data={[all, ...NOTIFICATION_STATUSES.map((s) => ({ value: s, label: t(`service.notifications.log.status.${s}`) }))]}
          w={180}
        />
        <NativeSelect
          label={t('service.notifications.log.filters.kind')}
          value={filter.kind ?? ''}
          onChange={(e) => set('kind', e.currentTarget.value)}
          data={[all, ...NOTIFICATION_KINDS.map((k) => ({ value: k, label: t(`service.notifications.settings.kind.${k}`) }))]}
          w={180}
        />
        <NativeSelect
          label={t('service.notifications.log.filters.channel')}
          value={filter.channel ?? ''}
          onChange={(e) => set('channel', e.currentTarget.value)}
          data={[all, ...NOTIFICATION_CHANNELS.map((c) => ({ value: c, label: t(`service.notifications.log.channel.${c}`) }))]}
          w={150}
        />
      </Group>
      {error && (
        <Alert color="red" role="alert" withCloseButton closeButtonLabel={t('app.close')} onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      <QueryState
        query={log}
        isEmpty={(d) => d.items.length === 0}
        empty={t('service.notifications.log.empty')}
        errorMessage={t('service.common.loadFailed')}
        unavailableMessage={t('service.common.unavailable')}
        more={(c) => t('service.notifications.log.more', c)}
      >
        {(d) => (
          <ListTable
            minWidth={920}
            striped
            verticalSpacing="xs"
            data-testid="notification-log"
            labels={[
              t('service.notifications.log.columns.created'),
              t('service.notifications.log.columns.what'),
              t('service.notifications.log.columns.recipient'),
              t('service.notifications.log.columns.status'),
              t('service.notifications.log.columns.actions'),
            ]}
          >
            {d.items.map((n) => (
              <Table.Tr key={n.id} data-notification-id={n.id} data-status={n.status}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">{formatDateTime(n.createdAt, lng)}</Text>
                </Table.Td>
                <Table.Td maw={380}>
                  <Group gap={4} mb={2}>
                    <Badge size="sm" variant="light" color={SEVERITY_COLOR[n.severity]}>
                      {t(`service.severity.${n.severity}`)}
                    </Badge>
                    <Badge size="sm" variant="outline" color="gray">
                      {t(`service.notifications.settings.kind.${n.kind}`)}
                    </Badge>
                    {n.escalationLevel > 0 && (
                      <Badge size="sm" color="red" variant="outline">
                        {t('service.notifications.log.escalation', { level: n.escalationLevel })}
                      </Badge>
                    )}
                  </Group>
                  {/* As it was sent, in the recipient's language: a record, not UI text. */}
                <Text size="sm" translate="no">
                  {n.subject}
                </Text>
                  {n.deviceId && (
                    <Anchor component={Link} to={`/machines/${encodeURIComponent(n.deviceId)}`} size="xs">
                      {n.deviceId}
                    </Anchor>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t(`service.notifications.log.channel.${n.channel}`)}</Text>
                  <Text size="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
                    {n.userEmail ?? n.webhookUrl ?? t('service.common.none')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={DELIVERY_COLOR[n.status]} variant={n.status === 'dead' ? 'filled' : 'light'}>
                    {t(`service.notifications.log.status.${n.status}`)}
                  </Badge>
                  <Text size="xs" c="dimmed">
                    {t('service.notifications.log.attempts', { count: n.attempts })}
                    {n.sentAt ? ` · ${t('service.notifications.log.sentAt', { time: formatDateTime(n.sentAt, lng) })}` : ''}
                  </Text>
                  {n.nextAttemptAt && n.status === 'failed' && (
                    <Text size="xs" c="dimmed">
                      {t('service.notifications.log.nextAttempt', { time: formatDateTime(n.nextAttemptAt, lng) })}
                    </Text>
                  )}
                  {n.lastError && (
                    <Text size="xs" c={n.status === 'skipped' ? 'dimmed' : 'red.8'} lineClamp={2} title={n.lastError} translate="no">
                      {n.lastError}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {(n.status === 'failed' || n.status === 'dead') && (
                    <Button
                      size="xs"
                      variant="light"
                      loading={retry.isPending && retry.variables === n.id}
                      aria-label={t('service.notifications.log.retryFor', { subject: n.subject })}
                      onClick={() => {
                        setError(null);
                        retry.mutate(n.id, { onError: (err) => setError(t('service.common.actionFailed', { message: err.message })) });
                      }}
                    >
                      {t('service.notifications.log.retry')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </QueryState>
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="webhooks-title">
        <Title order={2} size="h4" id="webhooks-title" mb="sm">
          {t('service.notifications.webhooks.title')}
        </Title>
        <WebhooksPanel />
      </Paper>
    </Stack>
  );
}
