import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the dashboard when its build is missing or stale, for `npm start` (fresh clone:
 * no extra step) and the browser tests (one build per run, none when nothing changed).
 *
 * Staleness is a fingerprint of every input's path, size and mtime (the dashboard sources
 * and the contracts it imports) stored beside the build, so deleted files and branch
 * switches count too. The build goes to a temporary folder that replaces dist/ by rename:
 * a running platform never serves a half-written build.
 *
 *   node dashboard/scripts/ensure-build.ts [--force]
 */
const dashboardDir = fileURLToPath(new URL('../', import.meta.url));
const repoRoot = path.resolve(dashboardDir, '..');
export const DIST_DIR = path.join(dashboardDir, 'dist');
const STAMP = '.airfleet-build.json';

const INPUTS = [
  path.join(dashboardDir, 'src'),
  path.join(dashboardDir, 'public'),
  path.join(dashboardDir, 'index.html'),
  path.join(dashboardDir, 'vite.config.ts'),
  path.join(dashboardDir, 'package.json'),
  path.join(repoRoot, 'services/contracts/src'),
];

async function listFiles(entry: string): Promise<string[]> {
  if (!existsSync(entry)) return [];
  const s = await stat(entry);
  if (!s.isDirectory()) return [entry];
  const out: string[] = [];
  for (const e of await readdir(entry, { withFileTypes: true })) {
    // Tests are not part of the bundle.
    if (e.name === 'node_modules' || /\.test\.tsx?$/.test(e.name)) continue;
    out.push(...(await listFiles(path.join(entry, e.name))));
  }
  return out;
}

export async function sourceFingerprint(): Promise<string> {
  const files = (await Promise.all(INPUTS.map(listFiles))).flat().sort();
  const hash = createHash('sha256');
  for (const file of files) {
    const s = await stat(file);
    hash.update(`${path.relative(repoRoot, file)}\0${s.size}\0${Math.floor(s.mtimeMs)}\n`);
  }
  return hash.digest('hex');
}

export async function buildIsFresh(): Promise<{ fresh: boolean; reason: string }> {
  if (!existsSync(path.join(DIST_DIR, 'index.html'))) return { fresh: false, reason: 'no build yet' };
  let stamp: { fingerprint?: string };
  try {
    stamp = JSON.parse(await readFile(path.join(DIST_DIR, STAMP), 'utf8')) as { fingerprint?: string };
  } catch {
    return { fresh: false, reason: 'build has no fingerprint' };
  }
  return stamp.fingerprint === (await sourceFingerprint()) ? { fresh: true, reason: 'up to date' } : { fresh: false, reason: 'sources changed' };
}

export interface EnsureBuildResult {
  built: boolean;
  reason: string;
  durationMs: number;
  distDir: string;
}

export async function ensureDashboardBuild(options: { force?: boolean; onLine?: (line: string) => void } = {}): Promise<EnsureBuildResult> {
  const started = performance.now();
  const state = options.force ? { fresh: false, reason: 'forced' } : await buildIsFresh();
  if (state.fresh) return { built: false, reason: state.reason, durationMs: performance.now() - started, distDir: DIST_DIR };

  const fingerprint = await sourceFingerprint();
  // Scratch space under node_modules (git-ignored, same file system as dist/ for the rename).
  const scratch = path.join(dashboardDir, 'node_modules', '.airfleet-build');
  await mkdir(scratch, { recursive: true });
  const tmp = path.join(scratch, `dist-${process.pid}-${Date.now()}`);
  const viteBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin/vite.js');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [viteBin, 'build', '--outDir', tmp, '--emptyOutDir', '--logLevel', 'info'], {
      cwd: dashboardDir,
      // NODE_ENV from the caller (vitest sets 'test') would make Vite bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const relay = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split('\n')) if (line.trim()) options.onLine?.(line.trimEnd());
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (exit ${code}):\n${output.slice(-4000)}`))));
  }).catch(async (err: unknown) => {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  });
  await writeFile(path.join(tmp, STAMP), JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }));
  const old = path.join(scratch, `old-${process.pid}-${Date.now()}`);
  if (existsSync(DIST_DIR)) await rename(DIST_DIR, old);
  await rename(tmp, DIST_DIR);
  await rm(old, { recursive: true, force: true });
  return { built: true, reason: state.reason, durationMs: performance.now() - started, distDir: DIST_DIR };
}

// CLI: prints one line per step, for the launcher's progress output.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  const state = force ? { fresh: false, reason: 'forced' } : await buildIsFresh();
  if (state.fresh) {
    process.stdout.write('dashboard build is up to date\n');
  } else {
    process.stdout.write(`building the dashboard (${state.reason}) …\n`);
    const result = await ensureDashboardBuild({
      force: true,
      onLine: (line) => {
        if (/✓|built in|error/i.test(line)) process.stdout.write(`${line}\n`);
      },
    });
    process.stdout.write(`dashboard built in ${(result.durationMs / 1000).toFixed(1)} s\n`);
  }
}
