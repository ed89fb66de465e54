import { Alert, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Alarm, AlarmSeverity } from '@airfleet/contracts';
import { ListTable } from '../../../components/list-table.tsx';
import { alarmTypeName } from '../../../lib/alarm-type-name.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useAcknowledgeAlarm, useClearAlarm } from '../api/alarms.ts';

export const SEVERITY_COLOR: Record<AlarmSeverity, string> = { critical: 'red', major: 'orange', minor: 'yellow', warning: 'blue' };

interface AlarmsTableProps {
  alarms: readonly Alarm[];
  canAct: boolean;
  /** On a machine's own page the machine column is noise. */
  showMachine?: boolean;
  siteNames?: ReadonlyMap<string, string>;
}

export function AlarmsTable({ alarms, canAct, showMachine = true, siteNames }: AlarmsTableProps) {
  const { t, i18n } = useTranslation();
  const ack = useAcknowledgeAlarm();
  const clear = useClearAlarm();
  const [error, setError] = useState<string | null>(null);
  const lng = i18n.language;

  const run = (mutation: typeof ack, id: string) => {
    setError(null);
    mutation.mutate(id, { onError: (err) => setError(t('alarms.actionFailed', { message: err.message })) });
  };
  const busy = (mutation: typeof ack, id: string) => mutation.isPending && mutation.variables === id;

  return (
    <Stack gap="xs">
      {error && (
        <Alert color="red" role="alert" withCloseButton closeButtonLabel={t('app.close')} onClose={() => setError(null)}>
          {error}
        </Alert>
      )}
      <ListTable
        minWidth={showMachine ? 760 : 560}
        striped
        highlightOnHover
        verticalSpacing="xs"
        data-testid="alarms-table"
        labels={[
          t('alarms.columns.severity'),
          showMachine && t('alarms.columns.machine'),
          t('alarms.columns.alarm'),
          t('alarms.columns.started'),
          t('alarms.columns.status'),
          canAct && t('alarms.columns.actions'),
        ]}
      >
        {alarms.map((a) => (
          <Table.Tr key={a.id} data-alarm-id={a.id} data-alarm-type={a.type} data-acknowledged={a.acknowledged} data-state={a.state}>
            <Table.Td>
              <Badge color={SEVERITY_COLOR[a.severity]} variant={a.state === 'active' ? 'filled' : 'light'}>
                {t(`alarms.severity.${a.severity}`)}
              </Badge>
            </Table.Td>
            {showMachine && (
              <Table.Td>
                <Link to={`/machines/${encodeURIComponent(a.deviceId)}`}>{a.deviceId}</Link>
                <Text size="xs" c="dimmed">
                  {siteNames?.get(a.siteId) ?? a.siteId}
                </Text>
              </Table.Td>
            )}
            <Table.Td>
              <Text size="sm" fw={500} data-testid="alarm-name">
                {alarmTypeName(a.type, t)}
              </Text>
              {/* The device's or rule's own wording (English, with its figures) as the detail. */}
              <Text size="xs" c="dimmed" data-testid="alarm-message" translate="no">
                {a.message}
                {a.count > 1 ? ` · ${t('alarms.status.repeated', { count: a.count })}` : ''}
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{formatDateTime(a.startedAt, lng)}</Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm" fw={600} c={a.state === 'active' ? 'red.8' : 'gray.7'} style={{ whiteSpace: 'nowrap' }}>
                {a.state === 'active' ? '● ' : '○ '}
                {t(`alarms.status.${a.state}`)}
              </Text>
              <Text size="sm" fw={600} c={a.acknowledged ? 'green.8' : 'orange.9'} data-testid="ack-status" style={{ whiteSpace: 'nowrap' }}>
                {t(a.acknowledged ? 'alarms.status.acknowledged' : 'alarms.status.unacknowledged')}
              </Text>
              {a.acknowledgedAt && (
                <Text size="xs" c="dimmed">
                  {t('alarms.status.ackBy', { name: a.acknowledgedBy?.name ?? '—', time: formatDateTime(a.acknowledgedAt, lng) })}
                </Text>
              )}
              {a.clearedAt && (
                <Text size="xs" c="dimmed">
                  {a.clearedBy
                    ? t('alarms.status.clearedBy', { name: a.clearedBy.name, time: formatDateTime(a.clearedAt, lng) })
                    : t('alarms.status.clearedAuto', { time: formatDateTime(a.clearedAt, lng) })}
                </Text>
              )}
            </Table.Td>
            {canAct && (
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  {!a.acknowledged && (
                    <Button
                      size="xs"
                      loading={busy(ack, a.id)}
                      onClick={() => run(ack, a.id)}
                      aria-label={t('alarms.ackFor', { alarm: alarmTypeName(a.type, t), machine: a.deviceId })}
                    >
                      {t('alarms.ack')}
                    </Button>
                  )}
                  {a.state === 'active' && (
                    <Button
                      size="xs"
                      variant="light"
                      color="gray"
                      loading={busy(clear, a.id)}
                      onClick={() => run(clear, a.id)}
                      aria-label={t('alarms.clearFor', { alarm: alarmTypeName(a.type, t), machine: a.deviceId })}
                    >
                      {t('alarms.clear')}
                    </Button>
                  )}
                </Group>
              </Table.Td>
            )}
          </Table.Tr>
        ))}
      </ListTable>
    </Stack>
  );
}
