import { AppShell, Button, Group, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import type { User } from '@airfleet/contracts';
import { ErrorBoundary } from '../components/error-boundary.tsx';
import { LanguageSwitch } from '../components/language-switch.tsx';
import { LiveIndicator } from '../components/live-indicator.tsx';
import { useAlarmsLiveSync } from '../features/alarms/api/alarms.ts';
import { useFleetLiveSync } from '../features/fleet/api/fleet-devices.ts';
import { canDoService, homePathFor, useLogout } from '../lib/auth.ts';
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
          <Group gap="lg" wrap="nowrap" miw={0}>
            <UnstyledButton onClick={() => void navigate(homePathFor(user.role))} className={classes.brand} aria-label={t('app.name')}>
              <img src="/favicon.svg" alt="" width={24} height={24} />
              <Text fw={700} visibleFrom="xs">
                {t('app.name')}
              </Text>
            </UnstyledButton>
            {/* On a narrow screen the links scroll sideways; the live status, language and sign-out stay in view. */}
            <nav aria-label={t('app.nav.main')} className={classes.nav}>
              <Group gap={4} wrap="nowrap">
                {user.role === 'customer' ? (
                  // A customer's own portal; their machines and alarms are reached from the overview.
                  <>
                    <NavLink to="/portal" className={classes.navLink}>
                      {t('portal.nav.overview')}
                    </NavLink>
                    <NavLink to="/usage" className={classes.navLink}>
                      {t('portal.nav.usage')}
                    </NavLink>
                    <NavLink to="/my-parts" className={classes.navLink}>
                      {t('portal.nav.parts')}
                    </NavLink>
                    <NavLink to="/requests" className={classes.navLink}>
                      {t('portal.nav.requests')}
                    </NavLink>
                  </>
                ) : (
                  <>
                    <NavLink to="/fleet" className={classes.navLink}>
                      {t('app.nav.fleet')}
                    </NavLink>
                    <NavLink to="/alarms" className={classes.navLink}>
                      {t('app.nav.alarms')}
                    </NavLink>
                  </>
                )}
                {canDoService(user.role) && (
                  <>
                    <NavLink to="/service/inbox" className={classes.navLink}>
                      {t('service.nav.inbox')}
                    </NavLink>
                    <NavLink to="/work-orders" className={classes.navLink}>
                      {t('service.nav.workOrders')}
                    </NavLink>
                    <NavLink to="/service/planning" className={classes.navLink}>
                      {t('service.nav.planning')}
                    </NavLink>
                  </>
                )}
                {user.role === 'admin' && (
                  <NavLink to="/insights" className={classes.navLink}>
                    {t('portal.nav.insights')}
                  </NavLink>
                )}
                {user.role === 'admin' && (
                  <NavLink to="/admin/notifications" className={classes.navLink}>
                    {t('service.nav.notificationLog')}
                  </NavLink>
                )}
              </Group>
            </nav>
          </Group>
          <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
            <LiveIndicator />
            <LanguageSwitch />
            {/* The signed-in user leads to their own settings: one header item instead of two on a crowded bar. */}
            <NavLink
              to="/settings/notifications"
              className={classes.navLink}
              aria-label={t('service.nav.settingsOf', { name: user.name })}
              title={t('service.nav.settingsHint')}
              data-testid="current-user"
            >
              <Text span size="sm" visibleFrom="md">
                {user.name} · {t(`app.roles.${user.role}`)}
              </Text>
              <Text span size="sm" hiddenFrom="md">
                {t('service.nav.settings')}
              </Text>
            </NavLink>
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
