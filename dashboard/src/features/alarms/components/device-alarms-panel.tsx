import { Alert, Anchor, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useAlarms } from '../api/alarms.ts';
import { AlarmsTable } from './alarms-table.tsx';

/**
 * One machine's alarms, active first, with acknowledgement status (the machine page). With
 * `linkToAll` (roles that have the alarms page) it links to that page filtered to this machine.
 */
export function DeviceAlarmsPanel({ deviceId, canAct, linkToAll = false }: { deviceId: string; canAct: boolean; linkToAll?: boolean }) {
  const { t } = useTranslation();
  const alarms = useAlarms({ state: 'all', deviceId, limit: 50 });
  const allLink = linkToAll ? (
    <Anchor component={Link} to={`/alarms?device=${encodeURIComponent(deviceId)}&state=all`} size="sm">
      {t('alarmFilter.allOfMachine')}
    </Anchor>
  ) : null;
  let body;
  if (alarms.isPending) body = <Loader size="sm" aria-label={t('app.loading')} />;
  else if (alarms.isError) body = <Alert color="red">{t('alarms.loadFailed')}</Alert>;
  else if (alarms.data === null) body = <Text c="dimmed">{t('alarms.unavailable')}</Text>;
  else if (alarms.data.items.length === 0) body = <Text c="dimmed">{t('alarms.empty')}</Text>;
  else {
    const items = [...alarms.data.items].sort((a, b) => (a.state === b.state ? 0 : a.state === 'active' ? -1 : 1));
    body = <AlarmsTable alarms={items} canAct={canAct} showMachine={false} />;
  }
  return (
    <Stack gap="xs">
      {body}
      {allLink}
    </Stack>
  );
}
