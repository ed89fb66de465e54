import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, LANGUAGES, type Language } from '../i18n/i18n.ts';

/** Each language is named in itself, so anyone can find their own. */
export function LanguageSwitch({ size = 'xs' }: { size?: 'xs' | 'sm' }) {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      size={size}
      aria-label={t('app.language')}
      value={i18n.language}
      onChange={(e) => chooseLanguage(e.currentTarget.value as Language)}
      data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      data-testid="language-switch"
    />
  );
}
