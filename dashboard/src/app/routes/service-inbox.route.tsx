import { Navigate } from 'react-router';
import type { User } from '@airfleet/contracts';
import { InboxPage } from '../../features/service/components/inbox-page.tsx';
import { CreateFromItemButton } from '../../features/work-orders/components/create-from-item-button.tsx';
import { canDoService, homePathFor } from '../../lib/auth.ts';

/** Composition: the inbox (service feature) with the work-orders feature's "create work order" action. Loaded on demand. */
export default function ServiceInboxRoute({ user }: { user: User }) {
  if (!canDoService(user.role)) return <Navigate to={homePathFor(user.role)} replace />;
  return <InboxPage user={user} renderCreateWorkOrder={(item) => <CreateFromItemButton item={item} />} />;
}
