import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The system programs the test run starts for real: Chromium for the browser tests and HAProxy in
 * front of the cluster test. Missing ones are installed from Debian's packages where this user may
 * (root, or password-less sudo), as CI does; otherwise the run stops at once with one line that
 * says what to run, instead of a pile of failing suites.
 */
interface Requirement {
  pkg: string;
  present: () => boolean;
}

const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const onPath = (cmd: string, arg: string): boolean => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;

const REQUIREMENTS: Requirement[] = [
  { pkg: 'chromium', present: () => existsSync(chromiumPath()) },
  { pkg: 'haproxy', present: () => onPath('haproxy', '-v') },
];

function asRoot(): string[] | null {
  if (process.getuid?.() === 0) return [];
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n'] : null;
}

function aptInstall(prefix: string[], pkgs: string[]): boolean {
  const run = (args: string[]): boolean => {
    const [cmd, ...rest] = [...prefix, ...args];
    return spawnSync(cmd!, rest, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
  };
  // A fresh machine may have no package lists yet: update only when the first try fails.
  return run(['apt-get', 'install', '-y', '--no-install-recommends', ...pkgs]) || (run(['apt-get', 'update']) && run(['apt-get', 'install', '-y', '--no-install-recommends', ...pkgs]));
}

export default function setup(): void {
  const missing = REQUIREMENTS.filter((r) => !r.present()).map((r) => r.pkg);
  if (missing.length === 0) return;
  // A CHROMIUM_PATH that points nowhere is not fixed by installing the package.
  const installable = !(missing.includes('chromium') && process.env.CHROMIUM_PATH);
  const prefix = installable && onPath('apt-get', '--version') ? asRoot() : null;
  if (prefix) {
    process.stdout.write(`installing Debian packages the tests need: ${missing.join(' ')}\n`);
    if (aptInstall(prefix, missing) && REQUIREMENTS.every((r) => r.present())) return;
  }
  const hint = missing.includes('chromium') ? ` (or set CHROMIUM_PATH to a Chromium binary; it looked for ${chromiumPath()})` : '';
  process.stderr.write(`npm test needs ${missing.join(' and ')}: run "sudo apt-get install -y ${missing.join(' ')}"${hint}\n`);
  process.exit(1);
}
