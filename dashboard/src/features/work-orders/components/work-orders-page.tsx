import { Alert, Anchor, Badge, Button, Group, Loader, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { WORK_ORDER_STATUSES, type WorkOrder, type WorkOrderStatus } from '@airfleet/contracts';
import { formatDateTime } from '../../../lib/format.ts';
import { workOrderTitle } from '../../../lib/service-subject.ts';
import { useTechnicianList, useWorkOrders, useWorkOrdersLiveSync } from '../api/work-orders.ts';
import { NewWorkOrderModal } from './new-work-order-modal.tsx';
import { STATUS_COLOR } from './work-order-status.ts';

const ACTIVE: readonly WorkOrderStatus[] = ['open', 'scheduled', 'in_progress'];

/** All work orders, active ones first (open work is what a service desk looks at). */
export function WorkOrdersPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const technicians = useTechnicianList();
  useWorkOrdersLiveSync();

  // `active` is the default view; the API filters one status at a time, so it is filtered here.
  const statusParam = params.get('status') ?? 'active';
  const status = (WORK_ORDER_STATUSES as readonly string[]).includes(statusParam) ? (statusParam as WorkOrderStatus) : undefined;
  const assigneeId = params.get('technician') ?? undefined;
  const list = useWorkOrders({ status, assigneeId });

  const set = (key: string, value: string) => {
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  useEffect(() => {
    document.title = `${t('service.workOrders.title')} · ${t('app.name')}`;
  }, [t]);

  const items = useMemo((): WorkOrder[] => {
    const all = list.data?.items ?? [];
    return statusParam === 'active' ? all.filter((w) => ACTIVE.includes(w.status)) : all;
  }, [list.data, statusParam]);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={1} size="h2">
          {t('service.workOrders.title')}
        </Title>
        <Group gap="sm">
          {list.data && (
            <Text c="dimmed" size="sm" aria-live="polite">
              {t('service.workOrders.total', { count: items.length })}
            </Text>
          )}
          <Button onClick={() => setCreating(true)}>{t('service.workOrders.newOrder')}</Button>
        </Group>
      </Group>
      <Group gap="sm" align="flex-end" wrap="wrap" role="search" aria-label={t('service.common.filters')}>
        <NativeSelect
          label={t('service.workOrders.columns.status')}
          value={statusParam}
          onChange={(e) => set('status', e.currentTarget.value === 'active' ? '' : e.currentTarget.value)}
          data={[
            { value: 'active', label: t('service.workOrders.statusFilter.active') },
            { value: 'all', label: t('service.workOrders.statusFilter.all') },
            ...WORK_ORDER_STATUSES.map((s) => ({ value: s, label: t(`service.workOrders.status.${s}`) })),
          ]}
          w={180}
        />
        <NativeSelect
          label={t('service.common.technician')}
          value={assigneeId ?? ''}
          onChange={(e) => set('technician', e.currentTarget.value)}
          data={[{ value: '', label: t('service.common.all') }, ...(technicians.data ?? []).map((tech) => ({ value: tech.id, label: tech.name }))]}
          w={200}
        />
      </Group>
      {list.isPending ? (
        <Group justify="center" p="xl">
          <Loader aria-label={t('app.loading')} />
        </Group>
      ) : list.isError ? (
        <Alert color="red" role="alert">
          {t('service.common.loadFailed')}
        </Alert>
      ) : list.data === null ? (
        <Alert color="gray">{t('service.common.unavailable')}</Alert>
      ) : items.length === 0 ? (
        <Alert color="gray" role="status">
          {statusParam === 'active' ? t('service.workOrders.emptyActive') : t('service.workOrders.empty')}
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={860}>
          <Table striped highlightOnHover verticalSpacing="xs" data-testid="work-orders-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('service.workOrders.columns.number')}</Table.Th>
                <Table.Th scope="col">{t('service.workOrders.columns.title')}</Table.Th>
                <Table.Th scope="col">{t('service.workOrders.columns.machine')}</Table.Th>
                <Table.Th scope="col">{t('service.workOrders.columns.status')}</Table.Th>
                <Table.Th scope="col">{t('service.workOrders.columns.scheduled')}</Table.Th>
                <Table.Th scope="col">{t('service.workOrders.columns.technician')}</Table.Th>
                <Table.Th scope="col">{t('service.workOrders.columns.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((w) => (
                <Table.Tr key={w.id} data-work-order-id={w.id} data-status={w.status}>
                  <Table.Td>
                    <Anchor component={Link} to={`/work-orders/${encodeURIComponent(w.id)}`} fw={600} size="sm">
                      #{w.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/work-orders/${encodeURIComponent(w.id)}`} size="sm" c="inherit">
                      {workOrderTitle(w, t)}
                    </Anchor>
                    {w.level && (
                      <Text size="xs" c="dimmed">
                        {t(`service.level.${w.level}`)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/machines/${encodeURIComponent(w.deviceId)}`} size="sm">
                      {w.deviceId}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {w.siteName} · {w.customerName}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={STATUS_COLOR[w.status]} variant={w.status === 'done' || w.status === 'cancelled' ? 'light' : 'filled'}>
                      {t(`service.workOrders.status.${w.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{w.scheduledFor ? formatDateTime(w.scheduledFor, lng) : t('service.common.none')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={w.technician ? undefined : 'dimmed'}>
                      {w.technician?.name ?? t('service.common.unassigned')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(w.updatedAt, lng)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <NewWorkOrderModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
