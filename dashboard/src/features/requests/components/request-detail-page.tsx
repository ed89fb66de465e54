import { Anchor, Group, Paper, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ServiceRequest } from '@airfleet/contracts';
import { QueryState } from '../../../components/query-state.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { modelDisplayName } from '../../../lib/model-name.ts';
import { useRequest } from '../api/requests.ts';
import { RequestStatusBadge } from './request-status-badge.tsx';

function printed(n: string): string {
  return /^\d{10}$/.test(n) ? `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}` : n;
}

export function RequestDetailPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const request = useRequest(id);
  return (
    <Stack gap="md">
      <Anchor component={Link} to="/requests" size="sm">
        ← {t('portal.requests.detail.back')}
      </Anchor>
      <QueryState query={request} errorMessage={t('portal.common.loadFailed')} unavailableMessage={t('portal.requests.detail.notFound')}>
        {(r) => <RequestDetail r={r} />}
      </QueryState>
    </Stack>
  );
}

function RequestDetail({ r }: { r: ServiceRequest }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const lines = [
    ...(r.attachment?.kit?.partNumbers ?? []).map((n) => ({ n, qty: 1, kit: true })),
    ...(r.attachment?.parts ?? []).map((p) => ({ n: p.partNumber, qty: p.quantity, kit: false })),
  ];
  return (
    <>
      <Group gap="sm" align="center">
        <Title order={1} size="h2">
          {t(`portal.requests.kind.${r.kind}`)} #{r.id}
        </Title>
        <RequestStatusBadge status={r.status} />
      </Group>
      <Text c="dimmed" size="sm">
        {r.deviceId} · {modelDisplayName(r.modelId, r.modelId, lng)} · {r.deviceSerial} · {formatDateTime(r.createdAt, lng)}
      </Text>
      <Paper withBorder p="md" radius="md">
        <Text style={{ whiteSpace: 'pre-wrap' }}>{r.message}</Text>
      </Paper>
      {r.attachment?.kit && (
        <Text fw={600} data-testid="request-detail-kit" data-level={r.attachment.kit.level}>
          {t(`portal.common.levels.${r.attachment.kit.level}`)} · {r.attachment.kit.modelId}
        </Text>
      )}
      {lines.length > 0 && (
        <Table withTableBorder maw={480}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('portal.myParts.columns.number')}</Table.Th>
              <Table.Th scope="col">{t('portal.myParts.columns.quantity')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {lines.map((l) => (
              <Table.Tr key={`${l.kit ? 'k' : 'p'}${l.n}`}>
                <Table.Td ff="monospace">{printed(l.n)}</Table.Td>
                <Table.Td>{l.qty}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <section aria-labelledby="request-history">
        <Title order={2} size="h4" id="request-history" mb="sm">
          {t('portal.requests.detail.history')}
        </Title>
        <Timeline active={r.history.length - 1} bulletSize={14} lineWidth={2}>
          {r.history.map((h) => (
            <Timeline.Item key={`${h.at}:${h.status}`} title={t(`portal.requests.status.${h.status}`)}>
              <Text size="xs" c="dimmed">
                {formatDateTime(h.at, lng)}
                {h.actor ? ` · ${h.actor.name}` : ''}
              </Text>
              {h.note && <Text size="sm">{h.note}</Text>}
            </Timeline.Item>
          ))}
        </Timeline>
      </section>
    </>
  );
}
