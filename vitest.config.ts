import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['services/*/src/**/*.test.ts', 'gateway/src/**/*.test.ts', 'firmware-sim/src/**/*.test.ts', 'tests/**/*.test.ts', 'dashboard/src/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // One PostgreSQL for the whole run; each DB test file clones a migrated template.
    globalSetup: ['tests/support/system-packages.global-setup.ts', 'tests/support/postgres.global-setup.ts', 'tests/support/dashboard-build.global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Two cores: system tests start brokers and servers; keep the pressure sane.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
