import { Alert, Loader, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAlarms } from '../api/alarms.ts';
import { AlarmsTable } from './alarms-table.tsx';

/** One machine's alarms, active first, with acknowledgement status (the machine page). */
export function DeviceAlarmsPanel({ deviceId, canAct }: { deviceId: string; canAct: boolean }) {
  const { t } = useTranslation();
  const alarms = useAlarms({ state: 'all', deviceId, limit: 50 });
  if (alarms.isPending) return <Loader size="sm" aria-label={t('app.loading')} />;
  if (alarms.isError) return <Alert color="red">{t('alarms.loadFailed')}</Alert>;
  if (alarms.data === null) return <Text c="dimmed">{t('alarms.unavailable')}</Text>;
  if (alarms.data.items.length === 0) return <Text c="dimmed">{t('alarms.empty')}</Text>;
  const items = [...alarms.data.items].sort((a, b) => (a.state === b.state ? 0 : a.state === 'active' ? -1 : 1));
  return <AlarmsTable alarms={items} canAct={canAct} showMachine={false} />;
}
