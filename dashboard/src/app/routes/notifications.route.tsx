import { Navigate } from 'react-router';
import type { User } from '@airfleet/contracts';
import { NotificationLogPage } from '../../features/notifications/components/notification-log-page.tsx';
import { PreferencesPage } from '../../features/notifications/components/preferences-page.tsx';
import { homePathFor } from '../../lib/auth.ts';

/** Everyone's own settings; the delivery log and webhooks for admins. Loaded on demand. */
export default function NotificationsRoute({ user, view }: { user: User; view: 'settings' | 'log' }) {
  if (view === 'settings') return <PreferencesPage />;
  if (user.role !== 'admin') return <Navigate to={homePathFor(user.role)} replace />;
  return <NotificationLogPage />;
}
