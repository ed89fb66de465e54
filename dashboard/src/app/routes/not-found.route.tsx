import { Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

export function NotFoundRoute() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('app.notFound.title')}
      </Title>
      <Text>{t('app.notFound.body')}</Text>
      <Anchor component={Link} to="/fleet">
        {t('app.notFound.back')}
      </Anchor>
    </Stack>
  );
}
