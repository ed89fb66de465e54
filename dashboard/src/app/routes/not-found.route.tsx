import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { homeLabelKeyFor, homePathFor, useMe } from '../../lib/auth.ts';

export function NotFoundRoute() {
  const { t } = useTranslation();
  // Inside the signed-in shell: the user is known. Back to their own start page (customers: the portal).
  const role = useMe().data?.role ?? 'operator';
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('app.notFound.title')}
      </Title>
      <Text>{t('app.notFound.body')}</Text>
      <Anchor component={Link} to={homePathFor(role)} data-testid="not-found-home">
        {t('app.notFound.back', { page: t(homeLabelKeyFor(role)) })}
      </Anchor>
    </Stack>
  );
}
