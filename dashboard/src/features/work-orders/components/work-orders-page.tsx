import { Anchor, Badge, Button, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { WORK_ORDER_STATUSES, type WorkOrder, type WorkOrderStatus } from '@airfleet/contracts';
import { PageHeader } from '../../../components/page-header.tsx';
import { ListTable } from '../../../components/list-table.tsx';
import { usePageTitle, useSearchParamSetter } from '../../../components/page-hooks.ts';
import { QueryState } from '../../../components/query-state.tsx';
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
  const [params] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const technicians = useTechnicianList();
  useWorkOrdersLiveSync();

  // `active` is the default view; the API filters one status at a time, so it is filtered here.
  const statusParam = params.get('status') ?? 'active';
  const status = (WORK_ORDER_STATUSES as readonly string[]).includes(statusParam) ? (statusParam as WorkOrderStatus) : undefined;
  const assigneeId = params.get('technician') ?? undefined;
  const list = useWorkOrders({ status, assigneeId });

  const set = useSearchParamSetter();
  usePageTitle(t('service.workOrders.title'));

  const items = useMemo((): WorkOrder[] => {
    const all = list.data?.items ?? [];
    return statusParam === 'active' ? all.filter((w) => ACTIVE.includes(w.status)) : all;
  }, [list.data, statusParam]);

  return (
    <Stack gap="md">
      <PageHeader title={t('service.workOrders.title')} count={list.data && t('service.workOrders.total', { count: items.length })}>
        <Button onClick={() => setCreating(true)}>{t('service.workOrders.newOrder')}</Button>
      </PageHeader>
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
      <QueryState
        query={list}
        isEmpty={() => items.length === 0}
        empty={statusParam === 'active' ? t('service.workOrders.emptyActive') : t('service.workOrders.empty')}
        errorMessage={t('service.common.loadFailed')}
        unavailableMessage={t('service.common.unavailable')}
      >
        {() => (
          <ListTable
            minWidth={860}
            striped
            highlightOnHover
            verticalSpacing="xs"
            data-testid="work-orders-table"
            labels={[
              t('service.workOrders.columns.number'),
              t('service.workOrders.columns.title'),
              t('service.workOrders.columns.machine'),
              t('service.workOrders.columns.status'),
              t('service.workOrders.columns.scheduled'),
              t('service.workOrders.columns.technician'),
              t('service.workOrders.columns.updated'),
            ]}
          >
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
          </ListTable>
        )}
      </QueryState>
      <NewWorkOrderModal opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
