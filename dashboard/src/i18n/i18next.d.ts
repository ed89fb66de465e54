import 'i18next';
import type { en } from './en.ts';
import type { serviceEn } from './service.en.ts';

// Typed translation keys: t('fleet.title') is checked against the English catalogue.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // The service pages' strings are added when those pages load (service-strings.ts); typed all the same.
    resources: { translation: typeof en & { service: typeof serviceEn } };
  }
}
