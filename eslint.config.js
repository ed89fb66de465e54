import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

// Dashboard feature folders (docs/architecture.md §2): a feature never imports another; the app layer composes them.
const DASHBOARD_FEATURES = ['alarms', 'auth', 'fleet', 'judgments', 'machine', 'maintenance', 'notifications', 'service', 'work-orders', 'portal', 'usage', 'requests', 'my-parts', 'insights'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'tests/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Domain modules stay pure: no I/O, no timers, no randomness (docs/architecture.md §2).
    files: ['**/src/**/*.domain.ts', 'firmware-sim/src/model/**/*.ts', 'services/contracts/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['pg', 'mqtt', 'fs', 'net', 'http', 'https', 'child_process'], patterns: ['node:*'] }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random' }, { object: 'Date', property: 'now' }],
    },
  },
  {
    // The dashboard runs in the browser, with React's rules of hooks.
    files: ['dashboard/src/**/*.{ts,tsx}'],
    ...reactHooks.configs.flat['recommended-latest'],
    languageOptions: { globals: { ...globals.browser } },
  },
  ...DASHBOARD_FEATURES.map((feature) => ({
    files: [`dashboard/src/features/${feature}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: DASHBOARD_FEATURES.filter((f) => f !== feature).map((f) => `**/features/${f}/**`), message: 'features do not import each other; compose them in src/app' },
            { group: DASHBOARD_FEATURES.filter((f) => f !== feature).map((f) => `../../${f}/**`), message: 'features do not import each other; compose them in src/app' },
          ],
        },
      ],
    },
  })),
);
