import { useParams } from 'react-router';
import type { User } from '@airfleet/contracts';
import { DeviceAlarmsPanel } from '../../features/alarms/components/device-alarms-panel.tsx';
import { DeviceJudgmentsPanel } from '../../features/judgments/components/device-judgments-panel.tsx';
import { DeviceMaintenancePanel } from '../../features/maintenance/components/device-maintenance-panel.tsx';
import { MachinePage } from '../../features/machine/components/machine-page.tsx';
import { useTranslation } from 'react-i18next';
import { canActOnAlarms, homeLabelKeyFor, homePathFor } from '../../lib/auth.ts';

/** Loaded on demand (with uPlot): not part of the sign-in + fleet bundle. */
export default function MachineRoute({ user }: { user: User }) {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  return (
    <MachinePage
      key={id}
      id={id}
      // Back to where this user starts: customers to their portal, service to the inbox.
      home={{ to: homePathFor(user.role), label: t(homeLabelKeyFor(user.role)) }}
      // Customers have no alarms page: their machine page is where they see its alarms.
      alarms={<DeviceAlarmsPanel deviceId={id} canAct={canActOnAlarms(user.role)} linkToAll={user.role !== 'customer'} />}
      judgments={<DeviceJudgmentsPanel deviceId={id} />}
      maintenance={<DeviceMaintenancePanel deviceId={id} />}
    />
  );
}
