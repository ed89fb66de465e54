import { Alert, Badge, Button, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListTable } from '../../../components/list-table.tsx';
import { QueryState } from '../../../components/query-state.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useTestWebhook, useWebhooks } from '../api/notifications.ts';
import { DELIVERY_COLOR } from './notification-colors.ts';

/** The webhook endpoints with their last delivery; a signed test delivery on demand. */
export function WebhooksPanel() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const webhooks = useWebhooks();
  const test = useTestWebhook();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  return (
    <QueryState
      query={webhooks}
      isEmpty={(d) => d.length === 0}
      empty={t('service.notifications.webhooks.empty')}
      errorMessage={t('service.common.loadFailed')}
      unavailableMessage={t('service.common.unavailable')}
      compact
    >
      {(data) => (
        <>
          {message && (
            <Alert color={message.ok ? 'green' : 'red'} role="status" mb="sm" withCloseButton closeButtonLabel={t('app.close')} onClose={() => setMessage(null)}>
              {message.text}
            </Alert>
          )}
          <ListTable
            minWidth={760}
            verticalSpacing="xs"
            data-testid="webhooks-table"
            labels={[
              t('service.notifications.webhooks.columns.url'),
              t('service.notifications.webhooks.columns.kinds'),
              t('service.notifications.webhooks.columns.customer'),
              t('service.notifications.webhooks.columns.enabled'),
              t('service.notifications.webhooks.columns.status'),
              '',
            ]}
          >
            {data.map((w) => (
              <Table.Tr key={w.id}>
                <Table.Td>
                  <Text size="sm" style={{ wordBreak: 'break-all' }}>
                    {w.url}
                  </Text>
                  {w.description && (
                    <Text size="xs" c="dimmed" translate="no">
                      {w.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {w.kinds.length === 0 ? t('service.notifications.webhooks.allKinds') : w.kinds.map((k) => t(`service.notifications.settings.kind.${k}`)).join(', ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" translate={w.customerId ? 'no' : undefined}>
                    {w.customerId ?? t('service.notifications.webhooks.allCustomers')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={w.enabled ? 'green' : 'gray'}>
                    {w.enabled ? t('service.notifications.webhooks.enabled') : t('service.notifications.webhooks.disabled')}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {w.lastStatus ? (
                    <>
                      <Badge variant="light" color={DELIVERY_COLOR[w.lastStatus]}>
                        {t(`service.notifications.log.status.${w.lastStatus}`)}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {formatDateTime(w.lastDeliveryAt, lng)}
                      </Text>
                    </>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('service.notifications.webhooks.never')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="light"
                    loading={test.isPending && test.variables === w.id}
                    aria-label={t('service.notifications.webhooks.testFor', { url: w.url })}
                    onClick={() => {
                      setMessage(null);
                      test.mutate(w.id, {
                        onSuccess: ({ notification }) =>
                          setMessage({
                            ok: notification.status === 'sent',
                            text: t('service.notifications.webhooks.testResult', { status: t(`service.notifications.log.status.${notification.status}`) }),
                          }),
                        onError: (err) => setMessage({ ok: false, text: t('service.common.actionFailed', { message: err.message }) }),
                      });
                    }}
                  >
                    {t('service.notifications.webhooks.test')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        </>
      )}
    </QueryState>
  );
}
