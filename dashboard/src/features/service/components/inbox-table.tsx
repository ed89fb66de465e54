import { Alert, Anchor, Badge, Group, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InboxItem, Technician } from '@airfleet/contracts';
import { formatDate, formatDateTime } from '../../../lib/format.ts';
import { subjectDetails, subjectTitle } from '../../../lib/service-subject.ts';
import { useAssign } from '../api/service.ts';
import { CATEGORY_COLOR, WORK_ORDER_STATUS_COLOR } from './service-colors.ts';

interface InboxTableProps {
  items: readonly InboxItem[];
  technicians: readonly Technician[];
  renderCreateWorkOrder: (item: InboxItem) => ReactNode;
}

export function InboxTable({ items, technicians, renderCreateWorkOrder }: InboxTableProps) {
  const { t, i18n } = useTranslation();
  const assign = useAssign();
  const [error, setError] = useState<string | null>(null);
  const lng = i18n.language;

  const onAssign = (item: InboxItem, assigneeId: string) => {
    setError(null);
    assign.mutate({ itemKey: item.key, assigneeId: assigneeId || null }, { onError: (err) => setError(t('service.common.actionFailed', { message: err.message })) });
  };

  return (
    <Stack gap="xs">
      {error && (
        <Alert color="red" role="alert" withCloseButton closeButtonLabel={t('app.close')} onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={980}>
        <Table striped highlightOnHover verticalSpacing="xs" data-testid="inbox-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('service.inbox.columns.priority')}</Table.Th>
              <Table.Th scope="col">{t('service.inbox.columns.machine')}</Table.Th>
              <Table.Th scope="col">{t('service.inbox.columns.item')}</Table.Th>
              <Table.Th scope="col">{t('service.inbox.columns.when')}</Table.Th>
              <Table.Th scope="col">{t('service.inbox.columns.assignee')}</Table.Th>
              <Table.Th scope="col">{t('service.inbox.columns.workOrder')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item) => {
              // The server's assignee may be someone no longer in the technician list: keep them selectable.
              const options = technicians.some((tech) => tech.id === item.assignee?.id) || !item.assignee ? technicians : [...technicians, { id: item.assignee.id, name: item.assignee.name }];
              const pendingAssign = assign.isPending && assign.variables?.itemKey === item.key;
              // Worded in the reader's language from what the item is about; `item.title` is the API's English.
              const title = subjectTitle(item.subject, t);
              const details = subjectDetails(item.subject, t, lng, 'inbox');
              return (
                <Table.Tr key={item.key} data-item-key={item.key} data-category={item.category}>
                  {/* Wide enough for the longest category: a clipped "Customer requ…" helps nobody. */}
                  <Table.Td style={{ whiteSpace: 'nowrap', minWidth: 170 }}>
                    <Badge color={CATEGORY_COLOR[item.category]} variant={item.priority <= 1 ? 'filled' : 'light'} tt="none" size="md" styles={{ root: { maxWidth: 'none' }, label: { overflow: 'visible' } }}>
                      {t(`service.inbox.category.${item.category}`)}
                    </Badge>
                    {item.level && (
                      <Text size="xs" c="dimmed" mt={2}>
                        {t(`service.level.${item.level}`)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/machines/${encodeURIComponent(item.deviceId)}`} size="sm" fw={500}>
                      {item.deviceId}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {item.siteName} · {item.customerName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {item.region}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={360}>
                    <Text size="sm" fw={500} data-testid="inbox-item-title">
                      {title}
                    </Text>
                    {details && (
                      <Text size="xs" c="dimmed" lineClamp={2} title={details}>
                        {details}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {item.dueAt ? (
                      <Text size="sm" fw={item.category === 'overdue' ? 700 : 400} c={item.category === 'overdue' ? 'red.8' : undefined}>
                        {t('service.inbox.due', { date: formatDate(item.dueAt, lng) })}
                      </Text>
                    ) : (
                      <Text size="sm">{t('service.inbox.since', { date: formatDateTime(item.since, lng) })}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <NativeSelect
                      size="xs"
                      aria-label={t('service.inbox.assignFor', { item: title, machine: item.deviceId })}
                      value={pendingAssign ? (assign.variables?.assigneeId ?? '') : (item.assignee?.id ?? '')}
                      disabled={pendingAssign}
                      onChange={(e) => onAssign(item, e.currentTarget.value)}
                      data={[{ value: '', label: t('service.common.unassigned') }, ...options.map((tech) => ({ value: tech.id, label: tech.name }))]}
                      w={170}
                      data-testid="assignee"
                    />
                  </Table.Td>
                  <Table.Td>
                    {item.workOrder ? (
                      <Stack gap={2}>
                        <Group gap={6} wrap="nowrap">
                          <Anchor component={Link} to={`/work-orders/${encodeURIComponent(item.workOrder.id)}`} size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {t('service.inbox.workOrderLink', { id: item.workOrder.id })}
                          </Anchor>
                          <Badge size="sm" variant="light" color={WORK_ORDER_STATUS_COLOR[item.workOrder.status]}>
                            {t(`service.workOrders.status.${item.workOrder.status}`)}
                          </Badge>
                        </Group>
                        {/* The machine's open order was made for a lower level: the technician raises it on the order. */}
                        {item.workOrder.levelBelowDue && item.workOrder.level && item.level && (
                          <Text size="xs" c="orange.8" data-testid="work-order-level-below">
                            {t('service.inbox.workOrderLevelBelow', { orderLevel: t(`service.level.${item.workOrder.level}`), dueLevel: t(`service.level.${item.level}`) })}
                          </Text>
                        )}
                      </Stack>
                    ) : (
                      renderCreateWorkOrder(item)
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
