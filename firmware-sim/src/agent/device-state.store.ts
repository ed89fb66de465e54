import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CompressorState } from '../model/index.ts';

/**
 * The controller's non-volatile memory: the model state (counters, wear, timers) saved next
 * to the device's sample queue, so counters survive a restart (DOMAIN.md §3 "Counters … survive
 * restarts"). `origin` fingerprints the fleet-file entry the state grew from; a re-seeded fleet
 * (new history, same device id) must not continue from a stale state.
 */
interface StoredState {
  origin: string;
  savedAtMs: number;
  state: CompressorState;
}

const FILE = 'state.json';

export async function loadDeviceState(dir: string, origin: string, modelId: string): Promise<CompressorState | null> {
  try {
    const stored = JSON.parse(await readFile(path.join(dir, FILE), 'utf8')) as StoredState;
    if (stored.origin !== origin || stored.state?.v !== 1 || stored.state.modelId !== modelId) return null;
    return stored.state;
  } catch {
    return null;
  }
}

export async function saveDeviceState(dir: string, origin: string, state: CompressorState, savedAtMs: number): Promise<void> {
  const file = path.join(dir, FILE);
  const body: StoredState = { origin, savedAtMs, state };
  await writeFile(`${file}.tmp`, JSON.stringify(body));
  await rename(`${file}.tmp`, file);
}
