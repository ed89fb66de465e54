import { i18next } from './i18n.ts';

let loading: Promise<void> | null = null;

/**
 * Adds the service pages' strings (both languages, so a language switch needs nothing more) to
 * the catalogue. The app awaits it beside each service page's lazy chunk: the strings travel with
 * the pages that use them, not in the sign-in + fleet bundle. Their keys are typed like the rest
 * (i18next.d.ts).
 */
export function loadServiceStrings(): Promise<void> {
  loading ??= Promise.all([import('./service.en.ts'), import('./service.zh-cn.ts')]).then(([en, zh]) => {
    i18next.addResourceBundle('en', 'translation', { service: en.serviceEn }, true, false);
    i18next.addResourceBundle('zh-CN', 'translation', { service: zh.serviceZhCN }, true, false);
  });
  return loading;
}

/** A lazy page whose module and service strings load together. */
export function withServiceStrings<T>(load: () => Promise<T>): () => Promise<T> {
  return () => Promise.all([load(), loadServiceStrings()]).then(([module]) => module);
}
