import { Center, createTheme, Loader, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import type { User } from '@airfleet/contracts';
import { LoginPage } from '../features/auth/components/login-page.tsx';
import { isApiError, onUnauthorized } from '../lib/api-client.ts';
import { withServiceStrings } from '../i18n/service-strings.ts';
import { endSession, homePathFor, useMe } from '../lib/auth.ts';
import { LiveProvider } from '../lib/live.tsx';
import { AppLayout } from './layout.tsx';
import { RequireAuth } from './require-auth.tsx';
import { FleetRoute } from './routes/fleet.route.tsx';
import { NotFoundRoute } from './routes/not-found.route.tsx';

// Code-split: the machine page (with uPlot) and the alarms page load on first visit.
// The machine page shows the maintenance plan and service history: it brings the service strings too.
const MachineRoute = lazy(withServiceStrings(() => import('./routes/machine.route.tsx')));
const AlarmsRoute = lazy(() => import('./routes/alarms.route.tsx'));
// The public parts lookup: no sign-in, its own chunk.
const PartsRoute = lazy(() => import('./routes/parts.route.tsx'));
// Customer portal, reports, requests and insights: each its own chunk, none in the sign-in + fleet bundle.
const PortalRoute = lazy(() => import('./routes/portal.route.tsx'));
const UsageRoute = lazy(() => import('./routes/usage.route.tsx'));
const ReportPrintRoute = lazy(() => import('./routes/report-print.route.tsx'));
const RequestsRoute = lazy(() => import('./routes/requests.route.tsx'));
const MyPartsRoute = lazy(() => import('./routes/my-parts.route.tsx'));
const InsightsRoute = lazy(() => import('./routes/insights.route.tsx'));
// Service desk (inbox, planning, work orders) and notifications: their own chunks too, each with the service strings.
const ServiceInboxRoute = lazy(withServiceStrings(() => import('./routes/service-inbox.route.tsx')));
const PlanningRoute = lazy(withServiceStrings(() => import('./routes/planning.route.tsx')));
const WorkOrdersRoute = lazy(withServiceStrings(() => import('./routes/work-orders.route.tsx')));
const NotificationsRoute = lazy(withServiceStrings(() => import('./routes/notifications.route.tsx')));

const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: 8,
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif',
});

function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Client errors (401, 403, 404) do not get better by asking again.
        retry: (count, err) => !(isApiError(err) && err.status >= 400 && err.status < 500) && count < 2,
        // Live data comes over the WebSocket; no refetch-on-focus polling.
        refetchOnWindowFocus: false,
      },
    },
  });
}

function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center p="xl">
      <Loader aria-label={t('app.loading')} />
    </Center>
  );
}

function SessionWatch() {
  const queryClient = useQueryClient();
  useEffect(() => onUnauthorized(() => endSession(queryClient)), [queryClient]);
  return null;
}

function Authenticated({ page }: { page: (user: User) => ReactNode }) {
  return <RequireAuth>{(user) => page(user)}</RequireAuth>;
}

function HomeRedirect() {
  const me = useMe();
  return me.data ? <Navigate to={homePathFor(me.data.role)} replace /> : <Navigate to="/login" replace />;
}

function LoginRoute() {
  const me = useMe();
  if (me.isPending) return <PageLoader />;
  return me.data ? <Navigate to={homePathFor(me.data.role)} replace /> : <LoginPage />;
}

function SignedInShell() {
  return (
    <RequireAuth>
      {(user) => (
        <LiveProvider enabled>
          <AppLayout user={user} />
        </LiveProvider>
      )}
    </RequireAuth>
  );
}

export function App() {
  const [queryClient] = useState(newQueryClient);
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <SessionWatch />
        <BrowserRouter>
          <Routes>
            <Route path="/login" element={<LoginRoute />} />
            <Route path="/" element={<HomeRedirect />} />
            {/* Public: outside the signed-in shell, no session needed. */}
            <Route path="/parts" element={<Suspense fallback={<PageLoader />}><PartsRoute /></Suspense>} />
            {/* The print report is a document: signed in, but outside the app frame (no navigation on paper). */}
            <Route path="/reports/print" element={<Authenticated page={() => <Suspense fallback={<PageLoader />}><ReportPrintRoute /></Suspense>} />} />
            <Route element={<SignedInShell />}>
              <Route path="/fleet" element={<Authenticated page={(user) => <FleetRoute user={user} />} />} />
              <Route
                path="/machines/:id"
                element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><MachineRoute user={user} /></Suspense>} />}
              />
              <Route
                path="/alarms"
                element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><AlarmsRoute user={user} /></Suspense>} />}
              />
              <Route path="/portal" element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><PortalRoute user={user} /></Suspense>} />} />
              <Route path="/usage" element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><UsageRoute user={user} /></Suspense>} />} />
              <Route path="/requests" element={<Suspense fallback={<PageLoader />}><RequestsRoute view="list" /></Suspense>} />
              <Route path="/requests/new" element={<Suspense fallback={<PageLoader />}><RequestsRoute view="new" /></Suspense>} />
              <Route path="/requests/:id" element={<Suspense fallback={<PageLoader />}><RequestsRoute view="detail" /></Suspense>} />
              <Route path="/my-parts" element={<Suspense fallback={<PageLoader />}><MyPartsRoute /></Suspense>} />
              <Route path="/insights" element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><InsightsRoute user={user} /></Suspense>} />} />
              <Route path="/service/inbox" element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><ServiceInboxRoute user={user} /></Suspense>} />} />
              <Route path="/service/planning" element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><PlanningRoute user={user} /></Suspense>} />} />
              <Route path="/work-orders" element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><WorkOrdersRoute user={user} view="list" /></Suspense>} />} />
              <Route path="/work-orders/:id" element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><WorkOrdersRoute user={user} view="detail" /></Suspense>} />} />
              <Route path="/settings/notifications" element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><NotificationsRoute user={user} view="settings" /></Suspense>} />} />
              <Route path="/admin/notifications" element={<Authenticated page={(user) => <Suspense fallback={<PageLoader />}><NotificationsRoute user={user} view="log" /></Suspense>} />} />
              <Route path="*" element={<NotFoundRoute />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
