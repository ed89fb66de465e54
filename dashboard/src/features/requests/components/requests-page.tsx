import { Alert, Anchor, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { TFunction } from 'i18next';
import type { ServiceRequest } from '@airfleet/contracts';
import { formatDateTime } from '../../../lib/format.ts';
import { useMyRequests } from '../api/requests.ts';
import { RequestStatusBadge } from './request-status-badge.tsx';

export function attachmentSummary(r: ServiceRequest, t: TFunction): string {
  const parts: string[] = [];
  if (r.attachment?.kit) parts.push(t(`portal.common.levels.${r.attachment.kit.level}`) + ` (${r.attachment.kit.modelId})`);
  const n = r.attachment?.parts?.length ?? 0;
  if (n > 0) parts.push(t('portal.requests.items', { count: n }));
  return parts.join(' · ') || '—';
}

/** "My requests": what was asked, for which machine, and where it stands. */
export function RequestsPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const requests = useMyRequests();
  const [params] = useSearchParams();
  const sent = params.get('sent');

  useEffect(() => {
    document.title = `${t('portal.requests.title')} · ${t('app.name')}`;
  }, [t]);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1} size="h2">
          {t('portal.requests.title')}
        </Title>
        <Button component={Link} to="/requests/new">
          {t('portal.requests.new')}
        </Button>
      </Group>
      {sent && (
        <Alert color="green" role="status" data-testid="request-sent">
          {t('portal.requests.form.sent')}
        </Alert>
      )}
      {requests.isPending ? (
        <Group justify="center" p="xl">
          <Loader aria-label={t('app.loading')} />
        </Group>
      ) : requests.isError ? (
        <Alert color="red">{t('portal.common.loadFailed')}</Alert>
      ) : requests.data.items.length === 0 ? (
        <Alert color="gray">{t('portal.requests.empty')}</Alert>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover withTableBorder data-testid="requests-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('portal.requests.columns.number')}</Table.Th>
                <Table.Th scope="col">{t('portal.requests.columns.created')}</Table.Th>
                <Table.Th scope="col">{t('portal.requests.columns.kind')}</Table.Th>
                <Table.Th scope="col">{t('portal.requests.columns.machine')}</Table.Th>
                <Table.Th scope="col">{t('portal.requests.columns.items')}</Table.Th>
                <Table.Th scope="col">{t('portal.requests.columns.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {requests.data.items.map((r) => (
                <Table.Tr key={r.id} data-request-id={r.id} bg={r.id === sent ? 'green.0' : undefined}>
                  <Table.Td>
                    <Anchor component={Link} to={`/requests/${r.id}`} fw={600}>
                      #{r.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{formatDateTime(r.createdAt, lng)}</Table.Td>
                  <Table.Td>{t(`portal.requests.kind.${r.kind}`)}</Table.Td>
                  <Table.Td>
                    {r.deviceId}
                    <Text span size="xs" c="dimmed" display="block">
                      {r.modelId} · {r.deviceSerial}
                    </Text>
                  </Table.Td>
                  <Table.Td>{attachmentSummary(r, t)}</Table.Td>
                  <Table.Td>
                    <RequestStatusBadge status={r.status} />
                    {r.statusNote && (
                      <Text size="xs" c="dimmed" mt={2}>
                        {r.statusNote}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
