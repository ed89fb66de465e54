import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';

/** The browser tab says which page this is: "<title> · AirFleet", in the UI language. */
export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  const app = t('app.name');
  useEffect(() => {
    document.title = `${title} · ${app}`;
  }, [title, app]);
}

/**
 * A setter for one filter in the URL (an empty value removes it). It patches the URL as it is
 * now, not as this render saw it, so quick successive changes all stick; the history is
 * replaced, so Back leaves the page instead of stepping through filters.
 */
export function useSearchParamSetter(): (key: string, value: string) => void {
  const [, setParams] = useSearchParams();
  return (key, value) => {
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
}
