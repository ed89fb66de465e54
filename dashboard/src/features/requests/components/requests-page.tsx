import { Alert, Anchor, Button, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import type { TFunction } from 'i18next';
import type { ServiceRequest } from '@airfleet/contracts';
import { PageHeader } from '../../../components/page-header.tsx';
import { ListTable } from '../../../components/list-table.tsx';
import { usePageTitle } from '../../../components/page-hooks.ts';
import { QueryState } from '../../../components/query-state.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { modelDisplayName } from '../../../lib/model-name.ts';
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

  usePageTitle(t('portal.requests.title'));

  return (
    <Stack gap="md">
      <PageHeader title={t('portal.requests.title')}>
        <Button component={Link} to="/requests/new">
          {t('portal.requests.new')}
        </Button>
      </PageHeader>
      {sent && (
        <Alert color="green" role="status" data-testid="request-sent">
          {t('portal.requests.form.sent')}
        </Alert>
      )}
      <QueryState query={requests} isEmpty={(d) => d.items.length === 0} empty={t('portal.requests.empty')} errorMessage={t('portal.common.loadFailed')}>
        {(d) => (
          <ListTable
            minWidth={720}
            striped
            highlightOnHover
            withTableBorder
            data-testid="requests-table"
            labels={[
              t('portal.requests.columns.number'),
              t('portal.requests.columns.created'),
              t('portal.requests.columns.kind'),
              t('portal.requests.columns.machine'),
              t('portal.requests.columns.items'),
              t('portal.requests.columns.status'),
            ]}
          >
            {d.items.map((r) => (
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
                    {modelDisplayName(r.modelId, r.modelId, lng)} · {r.deviceSerial}
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
          </ListTable>
        )}
      </QueryState>
    </Stack>
  );
}
