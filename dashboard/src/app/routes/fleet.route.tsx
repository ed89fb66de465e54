import type { User } from '@airfleet/contracts';
import { useActiveAlarmCounts } from '../../features/alarms/api/alarms.ts';
import { FleetPage } from '../../features/fleet/components/fleet-page.tsx';

/** Composition: the fleet list with the alarms feature's counts (features never import each other). */
export function FleetRoute({ user }: { user: User }) {
  const counts = useActiveAlarmCounts();
  return <FleetPage role={user.role} alarmCounts={counts.data ?? null} />;
}
