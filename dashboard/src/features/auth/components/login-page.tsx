import { Alert, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { LanguageSwitch } from '../../../components/language-switch.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { homePathFor, useLogin } from '../../../lib/auth.ts';

/** Only same-app paths are followed after sign-in (no open redirect through ?next=). */
function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && next !== '/login' ? next : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const params = new URLSearchParams(location.search);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  useEffect(() => {
    document.title = `${t('login.submit')} · ${t('app.name')}`;
  }, [t]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate(
      { email, password },
      { onSuccess: ({ user }) => void navigate(safeNext(params.get('next')) ?? homePathFor(user.role), { replace: true }) },
    );
  };

  const error = login.error
    ? isApiError(login.error, 401)
      ? t('login.invalid')
      : isApiError(login.error, 429)
        ? t('login.rateLimited')
        : t('login.failed')
    : params.get('ended')
      ? t('login.sessionEnded')
      : null;

  return (
    <Center mih="100dvh" p="md" component="main" id="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <Group justify="space-between" align="flex-start" mb="md">
          <div>
            <Title order={1} size="h2">
              {t('login.title')}
            </Title>
            <Text c="dimmed" size="sm">
              {t('login.subtitle')}
            </Text>
          </div>
          <LanguageSwitch />
        </Group>
        <form onSubmit={submit} noValidate>
          <Stack>
            {error && (
              <Alert color={login.error ? 'red' : 'yellow'} role="alert">
                {error}
              </Alert>
            )}
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="username"
              inputMode="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              size="md"
              data-autofocus
              autoFocus
            />
            <PasswordInput
              label={t('login.password')}
              autoComplete="current-password"
              visibilityToggleButtonProps={{ 'aria-label': t('login.showPassword') }}
              required
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              size="md"
            />
            <Button type="submit" size="md" loading={login.isPending} fullWidth>
              {t('login.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
