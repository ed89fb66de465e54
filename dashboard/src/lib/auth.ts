import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { meResponseSchema, type LoginBody, type Role, type User } from '@airfleet/contracts';
import { adoptProfileLanguage } from '../i18n/i18n.ts';
import { api, isApiError } from './api-client.ts';

export const meQueryKey = ['auth', 'me'] as const;

/** The signed-in user, or null. The cookie is httpOnly, so /api/auth/me is the only way to know. */
export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async ({ signal }): Promise<User | null> => {
      try {
        const { user } = await api.get('/api/auth/me', meResponseSchema, signal);
        adoptProfileLanguage(user.locale);
        return user;
      } catch (err) {
        if (isApiError(err, 401)) return null;
        throw err;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: LoginBody) => api.post('/api/auth/login', body, meResponseSchema),
    onSuccess: ({ user }) => {
      // A different user must not see the previous one's cached data.
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== meQueryKey[0] });
      adoptProfileLanguage(user.locale);
      queryClient.setQueryData(meQueryKey, user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('/api/auth/logout', undefined, null),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(meQueryKey, null);
    },
  });
}

/** Where a user lands after signing in: customers on their portal overview, service teams in their inbox, everyone else on the fleet. */
export function homePathFor(role: Role): string {
  if (role === 'customer') return '/portal';
  return role === 'service' ? '/service/inbox' : '/fleet';
}

/** The name of a user's home page (homePathFor), for links back to it. */
export function homeLabelKeyFor(role: Role): 'portal.nav.overview' | 'service.nav.inbox' | 'app.nav.fleet' {
  if (role === 'customer') return 'portal.nav.overview';
  return role === 'service' ? 'service.nav.inbox' : 'app.nav.fleet';
}

/** Roles that work the service inbox, work orders and planning. */
export function canDoService(role: Role): boolean {
  return role === 'admin' || role === 'service';
}

/** Roles that acknowledge and clear alarms (operator, service and admin act). */
export function canActOnAlarms(role: Role): boolean {
  return role === 'admin' || role === 'operator' || role === 'service';
}

let sessionEnded = false;

/** The server no longer knows the session (expired, signed out elsewhere): back to the sign-in page, saying why. */
export function endSession(queryClient: QueryClient): void {
  if (!queryClient.getQueryData(meQueryKey)) return;
  sessionEnded = true;
  queryClient.setQueryData(meQueryKey, null);
}

/** True once after endSession(): the sign-in page explains the redirect. */
export function takeSessionEnded(): boolean {
  const ended = sessionEnded;
  sessionEnded = false;
  return ended;
}
