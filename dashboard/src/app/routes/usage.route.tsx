import type { User } from '@airfleet/contracts';
import { UsagePage } from '../../features/usage/components/usage-page.tsx';

/** Loaded on demand (with uPlot): usage and energy per machine and site. */
export default function UsageRoute({ user }: { user: User }) {
  return <UsagePage email={user.email} isCustomer={user.role === 'customer'} />;
}
