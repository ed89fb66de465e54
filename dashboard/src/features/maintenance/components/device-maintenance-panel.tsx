import { Alert, Anchor, Badge, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DeviceMaintenance, MaintenanceLevel, ServiceHistoryEntry } from '@airfleet/contracts';
import { formatDate, formatNumber } from '../../../lib/format.ts';
import { useDeviceMaintenance, useMaintenanceLiveSync, useServiceHistory } from '../api/maintenance.ts';

/** Printed `NNNN NNNN NN` (docs/domain.md §6). */
const partLabel = (n: string) => (n.length === 10 ? `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}` : n);

const ACK_COLOR: Record<NonNullable<ServiceHistoryEntry['deviceAck']>, string> = {
  pending: 'gray',
  sent: 'blue',
  applied: 'green',
  rejected: 'red',
  ignored: 'orange',
  expired: 'gray',
};

/** The machine page's maintenance section: plan per level, condition tasks and service history. */
export function DeviceMaintenancePanel({ deviceId }: { deviceId: string }) {
  const { t } = useTranslation();
  const plan = useDeviceMaintenance(deviceId);
  const history = useServiceHistory(deviceId);
  useMaintenanceLiveSync(deviceId);

  return (
    <Stack gap="md">
      {plan.isPending ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : plan.isError ? (
        <Alert color="red">{t('service.common.loadFailed')}</Alert>
      ) : plan.data === null ? (
        <Text c="dimmed">{t('service.common.unavailable')}</Text>
      ) : (
        <PlanTable plan={plan.data} />
      )}
      <div>
        <Title order={3} size="h5" mb="xs">
          {t('service.maintenance.history')}
        </Title>
        {history.isPending ? (
          <Loader size="sm" aria-label={t('app.loading')} />
        ) : history.isError ? (
          <Alert color="red">{t('service.common.loadFailed')}</Alert>
        ) : history.data === null ? (
          <Text c="dimmed">{t('service.common.unavailable')}</Text>
        ) : history.data.items.length === 0 ? (
          <Text c="dimmed">{t('service.maintenance.historyEmpty')}</Text>
        ) : (
          <HistoryList items={history.data.items} />
        )}
      </div>
    </Stack>
  );
}

function StatusBadge({ level }: { level: MaintenanceLevel }) {
  const { t } = useTranslation();
  const [key, color] = level.done ? (['done', 'gray'] as const) : level.overdue ? (['overdue', 'red'] as const) : level.dueSoon ? (['dueSoon', 'yellow'] as const) : (['ok', 'green'] as const);
  return (
    <Badge color={color} variant={level.overdue ? 'filled' : 'light'}>
      {t(`service.maintenance.status.${key}`)}
    </Badge>
  );
}

/** The next visit (one service: its highest level due, including the lower ones), as the inbox and the customer see it. */
function NextService({ plan }: { plan: DeviceMaintenance }) {
  const { t, i18n } = useTranslation();
  const next = plan.nextService;
  if (!next || plan.runningHours === null) return null;
  const title = t(`service.level.${next.level}`);
  const name =
    next.includes.length === 0
      ? title
      : t('service.subject.maintenanceIncludes', { title, levels: next.includes.map((l) => t(`service.subject.includedLevel.${l}`)).join(t('service.subject.includedSeparator')) });
  return (
    <Text size="sm" fw={600} c={next.overdue ? 'red.8' : undefined} data-testid="next-service" data-level={next.level}>
      {next.overdue
        ? t('service.maintenance.nextServiceOverdue', { name })
        : t('service.maintenance.nextService', { name, date: formatDate(next.dueAt, i18n.language), hours: formatNumber(next.dueInHours, i18n.language, 0) })}
    </Text>
  );
}

function PlanTable({ plan }: { plan: DeviceMaintenance }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const fmtH = (v: number | null) => formatNumber(v, lng, 0);
  return (
    <Stack gap="xs">
      <Group gap="lg" wrap="wrap">
        <Text size="sm">{t('service.maintenance.runningHours', { value: fmtH(plan.runningHours) })}</Text>
        <NextService plan={plan} />
        <Text size="sm" c="dimmed">
          {t('service.maintenance.usage', {
            rate: formatNumber(plan.hoursPerDay, lng, 1),
            source: t(`service.maintenance.usageSource.${plan.usageSource}`, { days: plan.usageWindowDays }),
          })}
        </Text>
      </Group>
      <Table.ScrollContainer minWidth={760}>
        <Table verticalSpacing="xs" data-testid="maintenance-plan">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('service.maintenance.columns.level')}</Table.Th>
              <Table.Th scope="col">{t('service.maintenance.columns.interval')}</Table.Th>
              <Table.Th scope="col">{t('service.maintenance.columns.last')}</Table.Th>
              <Table.Th scope="col">{t('service.maintenance.columns.next')}</Table.Th>
              <Table.Th scope="col">{t('service.maintenance.columns.predicted')}</Table.Th>
              <Table.Th scope="col">{t('service.maintenance.columns.status')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {plan.levels.map((l) => (
              <Table.Tr key={l.level} data-level={l.level} data-overdue={l.overdue} data-due-soon={l.dueSoon}>
                <Table.Td>
                  <Text size="sm" fw={600}>
                    {t(`service.level.${l.level}`)}
                  </Text>
                  <Text size="xs" c="dimmed" maw={260}>
                    {/* The catalogue's level contents, in the reader's language (every model's plan has the same levels). */}
                    {t(`service.subject.levelContents.${l.level}`)}
                  </Text>
                  {l.kit.length > 0 && (
                    <Text size="xs" c="dimmed" ff="monospace">
                      {t('service.maintenance.kit', { parts: l.kit.map(partLabel).join(', ') })}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm">
                    {l.intervalMonths !== null
                      ? t('service.maintenance.interval', { hours: fmtH(l.intervalHours), months: l.intervalMonths })
                      : t('service.maintenance.intervalHoursOnly', { hours: fmtH(l.intervalHours) })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {l.lastServiceAt ? (
                    <>
                      <Text size="sm">{t('service.maintenance.lastService', { date: formatDate(l.lastServiceAt, lng), hours: fmtH(l.lastServiceHours) })}</Text>
                      {l.lastSource === 'seed' && (
                        <Text size="xs" c="dimmed">
                          {t('service.maintenance.lastAssumed')}
                        </Text>
                      )}
                    </>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('service.common.none')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {l.done ? (
                    <Text size="sm" c="dimmed">
                      {t('service.common.none')}
                    </Text>
                  ) : (
                    <>
                      {l.nextDueHours !== null && <Text size="sm">{t('service.maintenance.nextDue', { hours: fmtH(l.nextDueHours), inHours: fmtH(l.dueInHours) })}</Text>}
                      {l.nextDueByDate && (
                        <Text size="xs" c="dimmed">
                          {t('service.maintenance.nextByDate', { date: formatDate(l.nextDueByDate, lng) })}
                        </Text>
                      )}
                    </>
                  )}
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  {!l.done && l.dueAt ? (
                    <>
                      <Text size="sm" fw={l.overdue ? 700 : 400} c={l.overdue ? 'red.8' : undefined}>
                        {formatDate(l.dueAt, lng)}
                      </Text>
                      {l.dueInDays !== null && (
                        <Text size="xs" c="dimmed">
                          {l.dueInDays < 0 ? t('service.maintenance.daysAgo', { count: Math.round(-l.dueInDays) }) : t('service.maintenance.inDays', { count: Math.round(l.dueInDays) })}
                        </Text>
                      )}
                    </>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('service.common.none')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <StatusBadge level={l} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {plan.conditionTasks.length > 0 && (
        <div>
          <Title order={3} size="h5" mb={4}>
            {t('service.maintenance.conditionTitle')}
          </Title>
          <Stack gap={4}>
            {plan.conditionTasks.map((c) => (
              <Group key={c.task} gap="xs" data-condition={c.task}>
                <Badge color={c.replaceNow ? 'red' : 'yellow'} variant={c.replaceNow ? 'filled' : 'light'}>
                  {c.replaceNow ? t('service.maintenance.replaceNow') : t('service.maintenance.warning')}
                </Badge>
                <Text size="sm" fw={500}>
                  {t(`service.maintenance.condition.${c.task}`)}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('service.maintenance.conditionValue', { value: formatNumber(c.value, lng, c.unit === 'bar' ? 2 : 0), unit: c.unit, limit: formatNumber(c.replaceAt, lng, c.unit === 'bar' ? 2 : 0) })}
                </Text>
              </Group>
            ))}
          </Stack>
        </div>
      )}
    </Stack>
  );
}

function HistoryList({ items }: { items: readonly ServiceHistoryEntry[] }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <Stack gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="service-history">
      {items.map((e, i) => (
        <Stack key={`${e.at}:${e.workOrderId ?? i}`} gap={2} component="li" p="xs" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }} data-work-order-id={e.workOrderId ?? undefined}>
          <Group justify="space-between" gap={6} wrap="wrap">
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {formatDate(e.at, lng)}
              </Text>
              <Text size="sm">
                {e.level
                  ? t('service.maintenance.historyEntry', { level: t(`service.level.${e.level}`), hours: formatNumber(e.runningHours, lng, 0) })
                  : t('service.maintenance.historyNoLevel')}
              </Text>
              {e.technician && (
                <Text size="sm" c="dimmed">
                  {t('service.maintenance.historyBy', { name: e.technician.name })}
                </Text>
              )}
            </Group>
            <Group gap={6}>
              {e.deviceAck && (
                <Badge size="sm" variant="light" color={ACK_COLOR[e.deviceAck]}>
                  {t('service.maintenance.deviceAck', { status: t(`service.workOrders.reset.short.${e.deviceAck}`) })}
                </Badge>
              )}
              {e.workOrderId && (
                <Anchor component={Link} to={`/work-orders/${encodeURIComponent(e.workOrderId)}`} size="sm">
                  {t('service.maintenance.workOrder', { id: e.workOrderId })}
                </Anchor>
              )}
            </Group>
          </Group>
          {e.levelsReset.length > 0 && (
            <Text size="xs" c="dimmed">
              {t('service.maintenance.resetLevels', { levels: e.levelsReset.map((l) => t(`service.level.${l}`)).join(', ') })}
            </Text>
          )}
          {e.parts.length > 0 && (
            <Text size="xs" c="dimmed" ff="monospace">
              {e.parts.map((p) => `${partLabel(p.partNumber)} × ${p.quantity}`).join(', ')}
            </Text>
          )}
          {e.notes && (
            <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
              {e.notes}
            </Text>
          )}
        </Stack>
      ))}
    </Stack>
  );
}
