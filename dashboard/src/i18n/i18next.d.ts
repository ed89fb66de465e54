import 'i18next';
import type { en } from './en.ts';

// Typed translation keys: t('fleet.title') is checked against the English catalogue.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}
