import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench -- <name> [flags]` runs one benchmark; `npm run bench` runs them all
 * with their default flags. Each prints its own figures.
 */
const BENCHES: Record<string, string> = {
  ingest: 'tests/bench/ingest.bench.ts',
  connect: 'tests/bench/connect.bench.ts',
  loop: 'tests/bench/loop.bench.ts',
  judgments: 'tests/bench/judgments.bench.ts',
  history: 'firmware-sim/src/history.bench.ts',
  dashboard: 'tests/bench/dashboard.bench.ts',
  parts: 'tests/bench/parts.bench.ts',
  usage: 'tests/bench/usage.bench.ts',
};

const [name, ...rest] = process.argv.slice(2);
const root = fileURLToPath(new URL('../../', import.meta.url));
const chosen = name && !name.startsWith('-') ? [name] : Object.keys(BENCHES);
let failed = false;
for (const bench of chosen) {
  const file = BENCHES[bench];
  if (!file) {
    process.stderr.write(`unknown benchmark "${bench}"; choose one of: ${Object.keys(BENCHES).join(', ')}\n`);
    process.exit(64);
  }
  process.stdout.write(`\n=== bench: ${bench} ===\n`);
  const args = name && !name.startsWith('-') ? rest : [];
  const res = spawnSync(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', file, ...args], { cwd: root, stdio: 'inherit' });
  failed ||= res.status !== 0;
}
process.exit(failed ? 1 : 0);
