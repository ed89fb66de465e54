import type { User } from '@airfleet/contracts';
import { OverviewPage } from '../../features/portal/components/overview-page.tsx';

/** Loaded on demand: the customer's home page. */
export default function PortalRoute({ user }: { user: User }) {
  return <OverviewPage name={user.name} />;
}
