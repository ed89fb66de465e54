import { Paper, Switch, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../../i18n/i18n.ts';
import { useReportSubscription, useSaveReportSubscription } from '../api/usage.ts';

/** Opt-in (never on by default): the weekly report goes to the signed-in user, in the language chosen here. */
export function WeeklyEmailToggle({ email }: { email: string }) {
  const { t } = useTranslation();
  const subscription = useReportSubscription();
  const save = useSaveReportSubscription();
  // The switch follows the click at once (set in the same event), not a render later when the
  // mutation reports pending; the saved answer replaces it, a failure puts the old state back.
  const [wanted, setWanted] = useState<boolean | null>(null);
  if (!subscription.data) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="weekly-email-title">
      <Text fw={700} id="weekly-email-title">
        {t('portal.usage.email.title')}
      </Text>
      <Text size="sm" c="dimmed" mb="xs">
        {t('portal.usage.email.body', { email })}
      </Text>
      <Switch
        label={t('portal.usage.email.toggle')}
        checked={wanted ?? subscription.data.weeklyReport}
        onChange={(e) => {
          const weeklyReport = e.currentTarget.checked;
          setWanted(weeklyReport);
          save.mutate({ weeklyReport, locale: currentLanguage() }, { onSettled: () => setWanted(null) });
        }}
        disabled={save.isPending}
        data-testid="weekly-email-toggle"
      />
      <Text size="xs" mt={4} c={save.isError ? 'red.8' : 'dimmed'} aria-live="polite">
        {save.isError ? t('portal.usage.email.failed') : save.isSuccess ? t('portal.usage.email.saved') : ''}
      </Text>
    </Paper>
  );
}
