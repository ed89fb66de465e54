import { Alert, Anchor, Box, Button, Container, Group, Loader, NativeSelect, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { COMPRESSOR_MODELS } from '@airfleet/contracts';
import { LanguageSwitch } from '../../../components/language-switch.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { homeLabelKeyFor, homePathFor, useMe } from '../../../lib/auth.ts';
import { modelDisplayName } from '../../../lib/model-name.ts';
import { partLang, usePartsSearch } from '../api/parts.ts';
import { MachineSection, ModelPartsSection } from './model-parts-section.tsx';
import { PartHitCard } from './part-hit-card.tsx';

/**
 * The public parts lookup (no sign-in). The query lives in the URL (?q=&model=&serial=),
 * so a result can be bookmarked or sent to a colleague.
 */
export function PartsPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  // Public page: an anonymous visitor's /api/auth/me answers 401, which useMe turns into null
  // (and the session watch ignores: there was no session to end), so no redirect to sign-in.
  const me = useMe().data ?? null;
  const q = params.get('q') ?? '';
  const modelId = params.get('model') ?? '';
  const serial = params.get('serial') ?? '';
  const [draft, setDraft] = useState({ q, modelId, serial });
  // Back/forward navigation and links change the URL: the form shows what it says
  // (adjusted while rendering, React's pattern for state derived from a changed input).
  const urlKey = `${q}\n${modelId}\n${serial}`;
  const [draftFor, setDraftFor] = useState(urlKey);
  if (draftFor !== urlKey) {
    setDraftFor(urlKey);
    setDraft({ q, modelId, serial });
  }

  const search = usePartsSearch({ q: q || undefined, modelId: modelId || undefined, serial: serial || undefined, lang: partLang(i18n.language) });

  useEffect(() => {
    document.title = `${t('parts.title')} · AirFleet`;
  }, [t]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (draft.q.trim()) next.set('q', draft.q.trim());
    if (draft.modelId) next.set('model', draft.modelId);
    if (draft.serial.trim()) next.set('serial', draft.serial.trim());
    setParams(next);
  };
  const clear = () => {
    setDraft({ q: '', modelId: '', serial: '' });
    setParams(new URLSearchParams());
  };

  const data = search.data;
  const digits = data?.digits && data.digits.length === 10 ? `${data.digits.slice(0, 4)} ${data.digits.slice(4, 8)} ${data.digits.slice(8)}` : (data?.digits ?? '');
  const interpreted = data && data.interpretedAs !== 'none' ? t(`parts.interpreted.${data.interpretedAs}`, { digits }) : '';

  return (
    <Box bg="gray.0" mih="100vh">
      <Box component="header" bg="white" py="sm" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="lg">
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              <Text fw={800} c="blue.8" size="lg">
                AirFleet
              </Text>
              <Text c="dimmed" visibleFrom="xs">
                {t('parts.title')}
              </Text>
            </Group>
            <Group gap="sm" wrap="nowrap">
              <LanguageSwitch />
              {me ? (
                <Anchor component={Link} to={homePathFor(me.role)} size="sm" data-testid="home-link">
                  {t('parts.backHome', { page: t(homeLabelKeyFor(me.role)) })}
                </Anchor>
              ) : (
                <Anchor component={Link} to="/login" size="sm" data-testid="sign-in-link">
                  {t('parts.signIn')}
                </Anchor>
              )}
            </Group>
          </Group>
        </Container>
      </Box>
      <Container size="lg" py="lg" component="main">
        <Stack gap="lg">
          <Stack gap={4}>
            <Title order={1} size="h2">
              {t('parts.title')}
            </Title>
            <Text c="dimmed">{t('parts.subtitle')}</Text>
          </Stack>
          <Paper withBorder p="md" radius="md" component="form" onSubmit={submit} role="search">
            <Stack gap="sm">
              <TextInput
                label={t('parts.search.label')}
                description={t('parts.search.hint')}
                placeholder={t('parts.search.placeholder')}
                value={draft.q}
                onChange={(e) => setDraft({ ...draft, q: e.currentTarget.value })}
                size="md"
                autoFocus
                data-testid="parts-query"
              />
              <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
                <NativeSelect
                  label={t('parts.search.model')}
                  value={draft.modelId}
                  onChange={(e) => setDraft({ ...draft, modelId: e.currentTarget.value })}
                  data={[{ value: '', label: t('parts.search.anyModel') }, ...COMPRESSOR_MODELS.map((m) => ({ value: m.id, label: modelDisplayName(m.id, m.name, i18n.language) }))]}
                  data-testid="parts-model"
                />
                <TextInput
                  label={t('parts.search.serial')}
                  placeholder={t('parts.search.serialPlaceholder')}
                  value={draft.serial}
                  onChange={(e) => setDraft({ ...draft, serial: e.currentTarget.value })}
                  data-testid="parts-serial"
                />
              </SimpleGrid>
              <Group gap="sm">
                <Button type="submit" data-testid="parts-submit">
                  {t('parts.search.submit')}
                </Button>
                <Button variant="subtle" onClick={clear}>
                  {t('parts.search.clear')}
                </Button>
                {search.isFetching && <Loader size="sm" aria-label={t('parts.results.searching')} />}
              </Group>
            </Stack>
          </Paper>

          {search.isError && (
            <Alert color="red" data-testid="parts-error">
              {isApiError(search.error, 429) ? t('parts.results.rateLimited') : t('parts.results.failed')}
            </Alert>
          )}

          {data && (
            <Stack gap="md" data-testid="parts-results">
              {serial && <MachineSection machine={data.machine} serial={serial} />}
              {/* Without words or a number, the model's kits and BOM below are the answer. */}
              {q && (
                <Stack gap="sm">
                  <Group gap="sm" align="baseline">
                    <Title order={2} size="h4">
                      {t('parts.results.title')}
                    </Title>
                    <Text size="sm" c="dimmed">
                      {t('parts.results.count', { count: data.results.length })}
                      {interpreted ? ` · ${interpreted}` : ''}
                    </Text>
                  </Group>
                  {data.results.length === 0 ? (
                    <Alert color="gray" data-testid="parts-none">
                      {t('parts.results.none')}
                    </Alert>
                  ) : (
                    data.results.map((hit) => <PartHitCard key={hit.part.number} hit={hit} />)
                  )}
                </Stack>
              )}
              {data.model && <ModelPartsSection model={data.model} />}
            </Stack>
          )}
        </Stack>
      </Container>
    </Box>
  );
}
