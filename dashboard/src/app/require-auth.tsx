import { Center, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import type { User } from '@airfleet/contracts';
import { takeSessionEnded, useMe } from '../lib/auth.ts';

/** Renders its child with the signed-in user, or sends the visitor to /login (and back afterwards). */
export function RequireAuth({ children }: { children: (user: User) => ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  if (me.isPending) {
    return (
      <Center mih="100dvh">
        <Loader aria-label={t('app.loading')} />
      </Center>
    );
  }
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    const ended = takeSessionEnded() ? '&ended=1' : '';
    return <Navigate to={`/login?next=${encodeURIComponent(next)}${ended}`} replace />;
  }
  return <>{children(me.data)}</>;
}
