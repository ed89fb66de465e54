import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface Child {
  name: string;
  proc: ChildProcess;
  logFile: string;
  exited: Promise<number | null>;
}

/**
 * V8 settings the gateway runs with (here, in infra/gateway.Dockerfile and in the benchmarks'
 * deployed stack). The young generation is a trade between memory and latency:
 * - a reconnect storm allocates ~75 KiB of short-lived garbage per connect (Aedes, mqtt-packet,
 *   Node streams); with V8's default (64 MiB semi-spaces on a large machine) the RSS that stays
 *   after the storm measured ~30 KiB per connected device;
 * - under traffic the ingest allocates tens of KiB per message that live until its batch
 *   commits; 8 MiB semi-spaces scavenged ~8 times as often as the default and added tens of ms to
 *   the p99 from sample to judgment.
 * 32 MiB measured ~23 KiB per device with most of the default's latency (docs/operations.md).
 */
export const GATEWAY_NODE_ARGS: readonly string[] = ['--max-semi-space-size=32'];

/**
 * Spawns a deployable as a child with an IPC channel: if the launcher dies, the child
 * sees the channel disconnect and shuts itself down (no orphans). Its own process group
 * lets the launcher stop children in order on Ctrl-C. `nodeArgs` go to node before the entry.
 */
export function spawnChild(name: string, entry: string, env: NodeJS.ProcessEnv, logDir: string, nodeArgs: readonly string[] = []): Child {
  const logFile = path.join(logDir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  // The flag is a no-op on Node 24 and lets Node 22.12–22.17 run the TypeScript sources too.
  const proc = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', ...nodeArgs, entry], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  proc.stdout?.pipe(out);
  proc.stderr?.pipe(out);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { name, proc, logFile, exited };
}

export async function stopChild(child: Child, timeoutMs = 10_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill('SIGTERM');
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), timeoutMs);
  await child.exited;
  clearTimeout(timer);
}

export async function tail(file: string, lines = 20): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Polls a URL until it answers 200 or the child exits. */
export async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${child.name} exited during start-up`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${child.name} not ready at ${url} after ${timeoutMs / 1000} s`);
}
