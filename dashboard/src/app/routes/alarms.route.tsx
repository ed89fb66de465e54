import type { User } from '@airfleet/contracts';
import { AlarmsPage } from '../../features/alarms/components/alarms-page.tsx';
import { canActOnAlarms } from '../../lib/auth.ts';

/** Loaded on demand: not part of the sign-in + fleet bundle. */
export default function AlarmsRoute({ user }: { user: User }) {
  return <AlarmsPage canAct={canActOnAlarms(user.role)} />;
}
