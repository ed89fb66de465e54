import { Alert, Button, Checkbox, Group, Loader, NativeSelect, Paper, Radio, Stack, Switch, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SEVERITIES, SUBSCRIBABLE_KINDS, type NotificationPreferences, type NotificationPreferencesResponse } from '@airfleet/contracts';
import { usePageTitle } from '../../../components/page-hooks.ts';
import { usePreferences, useSavePreferences } from '../api/notifications.ts';

/** Every signed-in user's own notification settings: kinds, severity, email, immediate or daily digest. */
export function PreferencesPage() {
  const { t } = useTranslation();
  const prefs = usePreferences();
  usePageTitle(t('service.notifications.settings.title'));

  return (
    <Stack gap="md" maw={720}>
      <div>
        <Title order={1} size="h2">
          {t('service.notifications.settings.title')}
        </Title>
        <Text c="dimmed">{t('service.notifications.settings.intro')}</Text>
      </div>
      {prefs.isPending ? (
        <Loader aria-label={t('app.loading')} />
      ) : prefs.isError ? (
        <Alert color="red" role="alert">
          {t('service.common.loadFailed')}
        </Alert>
      ) : prefs.data === null ? (
        <Alert color="gray">{t('service.common.unavailable')}</Alert>
      ) : (
        <PreferencesForm initial={prefs.data} />
      )}
    </Stack>
  );
}

function PreferencesForm({ initial }: { initial: NotificationPreferencesResponse }) {
  const { t } = useTranslation();
  const save = useSavePreferences();
  const [value, setValue] = useState<NotificationPreferences>(initial.preferences);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof NotificationPreferences>(key: K, v: NotificationPreferences[K]) => {
    setSaved(false);
    setValue((prev) => ({ ...prev, [key]: v }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    save.mutate(value, {
      onSuccess: () => setSaved(true),
      onError: (err) => setError(t('service.common.actionFailed', { message: err.message })),
    });
  };

  return (
    <Paper withBorder p="md" radius="md">
      <Stack component="form" gap="md" onSubmit={submit}>
        {initial.isDefault && (
          <Alert color="blue" variant="light">
            {t('service.notifications.settings.defaults')}
          </Alert>
        )}
        <Checkbox.Group label={t('service.notifications.settings.kinds')} value={value.kinds} onChange={(v) => set('kinds', v as NotificationPreferences['kinds'])}>
          <Group mt="xs" gap="md">
            {SUBSCRIBABLE_KINDS.map((k) => (
              <Checkbox key={k} value={k} label={t(`service.notifications.settings.kind.${k}`)} />
            ))}
          </Group>
        </Checkbox.Group>
        <NativeSelect
          label={t('service.notifications.settings.minSeverity')}
          description={t('service.notifications.settings.minSeverityHint')}
          value={value.minSeverity}
          onChange={(e) => set('minSeverity', e.currentTarget.value as NotificationPreferences['minSeverity'])}
          data={SEVERITIES.map((s) => ({ value: s, label: t(`service.severity.${s}`) }))}
          maw={360}
        />
        <Switch label={t('service.notifications.settings.email')} checked={value.emailEnabled} onChange={(e) => set('emailEnabled', e.currentTarget.checked)} />
        {!initial.emailAvailable && (
          <Alert color="yellow" variant="light">
            {t('service.notifications.settings.emailUnavailable')}
          </Alert>
        )}
        <Radio.Group
          label={t('service.notifications.settings.delivery')}
          description={t('service.notifications.settings.digestHint')}
          value={value.delivery}
          onChange={(v) => set('delivery', v as NotificationPreferences['delivery'])}
        >
          <Group mt="xs">
            <Radio value="immediate" label={t('service.notifications.settings.immediate')} />
            <Radio value="digest" label={t('service.notifications.settings.digest')} />
          </Group>
        </Radio.Group>
        {value.delivery === 'digest' && (
          <NativeSelect
            label={t('service.notifications.settings.digestHour')}
            value={String(value.digestHourUtc)}
            onChange={(e) => set('digestHourUtc', Number(e.currentTarget.value))}
            data={Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00` }))}
            w={160}
          />
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        {saved && (
          <Alert color="green" role="status">
            {t('service.notifications.settings.saved')}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('service.common.save')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
