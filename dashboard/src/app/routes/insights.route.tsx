import type { User } from '@airfleet/contracts';
import { InsightsPage } from '../../features/insights/components/insights-page.tsx';
import { NotFoundRoute } from './not-found.route.tsx';

/** Loaded on demand, admins only (the API refuses everyone else too). */
export default function InsightsRoute({ user }: { user: User }) {
  return user.role === 'admin' ? <InsightsPage /> : <NotFoundRoute />;
}
