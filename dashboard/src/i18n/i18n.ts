import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { zhCN } from './zh-cn.ts';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'airfleet.language';

function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((l) => l.code === value);
}

/** An explicit choice (the switch) wins; then the browser's language. The user's profile locale applies when there is no choice. */
export function storedLanguage(): Language | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

function browserLanguage(): Language {
  return navigator.languages?.some((l) => l.toLowerCase().startsWith('zh')) ? 'zh-CN' : 'en';
}

function applyToDocument(lng: string): void {
  document.documentElement.lang = lng;
}

void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: storedLanguage() ?? browserLanguage(),
  fallbackLng: 'en',
  // Both catalogues are bundled: initialise synchronously, so the first render is already
  // translated and nothing suspends (a suspended first render would remount the app).
  initAsync: false,
  // React escapes text already.
  interpolation: { escapeValue: false },
  returnNull: false,
  react: { useSuspense: false },
});
applyToDocument(i18next.language);
i18next.on('languageChanged', applyToDocument);

/** The language switch: remembered on this browser. */
export function chooseLanguage(lng: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  void i18next.changeLanguage(lng);
}

/** After sign-in: the user's profile language, unless this browser has an explicit choice. */
export function adoptProfileLanguage(lng: string): void {
  if (storedLanguage() === null && isLanguage(lng) && lng !== i18next.language) void i18next.changeLanguage(lng);
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}

export { i18next };
