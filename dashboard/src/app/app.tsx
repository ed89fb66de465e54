import { Center, createTheme, Loader, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import type { User } from '@airfleet/contracts';
import { LoginPage } from '../features/auth/components/login-page.tsx';
import { isApiError, onUnauthorized } from '../lib/api-client.ts';
import { endSession, homePathFor, useMe } from '../lib/auth.ts';
import { LiveProvider } from '../lib/live.tsx';
import { AppLayout } from './layout.tsx';
import { RequireAuth } from './require-auth.tsx';
import { FleetRoute } from './routes/fleet.route.tsx';
import { NotFoundRoute } from './routes/not-found.route.tsx';

// Code-split: the machine page (with uPlot) and the alarms page load on first visit.
const MachineRoute = lazy(() => import('./routes/machine.route.tsx'));
const AlarmsRoute = lazy(() => import('./routes/alarms.route.tsx'));

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
              <Route path="*" element={<NotFoundRoute />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  );
}
