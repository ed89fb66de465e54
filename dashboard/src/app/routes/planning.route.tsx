import { Navigate } from 'react-router';
import type { User } from '@airfleet/contracts';
import { PlanningPage } from '../../features/service/components/planning-page.tsx';
import { canDoService, homePathFor } from '../../lib/auth.ts';

/** Loaded on demand: not part of the sign-in + fleet bundle. */
export default function PlanningRoute({ user }: { user: User }) {
  if (!canDoService(user.role)) return <Navigate to={homePathFor(user.role)} replace />;
  return <PlanningPage />;
}
