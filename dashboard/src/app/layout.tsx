import { AppShell, Button, Group, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import type { User } from '@airfleet/contracts';
import { ErrorBoundary } from '../components/error-boundary.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { LiveIndicator } from '../components/live-indicator.tsx';
import { useAlarmsLiveSync } from '../features/alarms/api/alarms.ts';
import { useFleetLiveSync } from '../features/fleet/api/fleet-devices.ts';
import { useLogout } from '../lib/auth.ts';
import classes from './layout.module.css';

/** The signed-in frame: header with navigation, live status, language and the user; pages below. */
export function AppLayout({ user }: { user: User }) {
  const { t } = useTranslation();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  // Live data keeps the cached fleet and alarms current on every page.
  useFleetLiveSync();
  useAlarmsLiveSync();

  return (
    <AppShell header={{ height: 56 }} padding="md">
      <a href="#main" className={classes.skip}>
        {t('app.skipToContent')}
      </a>
      <AppShell.Header className={classes.header}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="lg" wrap="nowrap">
            <UnstyledButton onClick={() => void navigate('/fleet')} className={classes.brand} aria-label={t('app.name')}>
              <img src="/favicon.svg" alt="" width={24} height={24} />
              <Text fw={700} visibleFrom="xs">
                {t('app.name')}
              </Text>
            </UnstyledButton>
            <nav aria-label={t('app.nav.main')}>
              <Group gap={4} wrap="nowrap">
                <NavLink to="/fleet" className={classes.navLink}>
                  {t('app.nav.fleet')}
                </NavLink>
                <NavLink to="/alarms" className={classes.navLink}>
                  {t('app.nav.alarms')}
                </NavLink>
              </Group>
            </nav>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LiveIndicator />
            <LanguageSwitch />
            <Text size="sm" visibleFrom="md" title={t('app.signedInAs', { name: user.name })} data-testid="current-user">
              {user.name} · {t(`app.roles.${user.role}`)}
            </Text>
            <Button variant="default" size="xs" onClick={() => logout.mutate(undefined, { onSettled: () => void navigate('/login') })}>
              {t('app.signOut')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main" className={classes.main} tabIndex={-1}>
        <ErrorBoundary resetKey={location.pathname}>
          <Outlet />
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}
