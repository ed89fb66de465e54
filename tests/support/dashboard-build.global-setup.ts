import type { TestProject } from 'vitest/node';
import { ensureDashboardBuild } from '@airfleet/dashboard/ensure-build';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built dashboard (dashboard/dist) that browser tests serve through the platform. */
    dashboardDir: string;
  }
}

/**
 * Builds the dashboard once per test run, and only when its sources changed since the last
 * build (dashboard/scripts/ensure-build.ts keeps a fingerprint): browser tests always test
 * the current code, and a run without dashboard changes pays nothing.
 */
export default async function setup(project: TestProject): Promise<void> {
  const result = await ensureDashboardBuild();
  if (result.built) process.stdout.write(`dashboard built for the browser tests (${result.reason}) in ${(result.durationMs / 1000).toFixed(1)} s\n`);
  project.provide('dashboardDir', result.distDir);
}
