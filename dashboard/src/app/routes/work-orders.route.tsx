import { Navigate, useParams } from 'react-router';
import type { User } from '@airfleet/contracts';
import { WorkOrderPage } from '../../features/work-orders/components/work-order-page.tsx';
import { WorkOrdersPage } from '../../features/work-orders/components/work-orders-page.tsx';
import { canDoService, homePathFor } from '../../lib/auth.ts';

/** The list and one work order (`/work-orders/:id`). Loaded on demand: not part of the sign-in + fleet bundle. */
export default function WorkOrdersRoute({ user, view }: { user: User; view: 'list' | 'detail' }) {
  const { id = '' } = useParams();
  if (!canDoService(user.role)) return <Navigate to={homePathFor(user.role)} replace />;
  return view === 'list' ? <WorkOrdersPage /> : <WorkOrderPage key={id} id={id} user={user} />;
}
