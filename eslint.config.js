import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
    // Domain modules stay pure: no I/O, no timers, no randomness (DESIGN.md §2).
    files: ['**/src/**/*.domain.ts', 'firmware-sim/src/model/**/*.ts', 'services/contracts/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['pg', 'mqtt', 'fs', 'net', 'http', 'https', 'child_process'], patterns: ['node:*'] }],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random' }, { object: 'Date', property: 'now' }],
    },
  },
);
