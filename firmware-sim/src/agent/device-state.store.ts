import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '@airfleet/runtime';
import { advance, initialState, injectFaults, upgradeState, type CompressorState } from '../model/index.ts';
import type { DeviceAgentOptions } from './device-agent.options.ts';

/**
 * The controller's non-volatile memory: the model state (counters, wear, timers) saved next
 * to the device's sample queue, so counters survive a restart (docs/domain.md §3 "Counters … survive
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
    const stored = JSON.parse(await readFile(path.join(dir, FILE), 'utf8')) as { origin?: string; state?: unknown };
    if (stored.origin !== origin) return null;
    // An older firmware's state is upgraded, so counters survive the update.
    const state = upgradeState(stored.state);
    return state && state.modelId === modelId ? state : null;
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

const DAY_MS = 86_400_000;

/**
 * The model a starting agent runs: an explicit state, else the saved one, else a new machine
 * from the fleet-file figures; with this run's faults; replayed from its instant to `now` so
 * counters carry on as if the machine had kept running.
 */
export async function restoreDeviceModel(o: DeviceAgentOptions, dir: string, origin: string, now: number, log: Logger): Promise<CompressorState> {
  let state = o.state ?? (await loadDeviceState(dir, origin, o.modelId));
  if (!state) {
    const atMs = o.initial?.atMs !== undefined && o.initial.atMs < now ? o.initial.atMs : now;
    const i = o.initial ?? {};
    state = initialState(o.modelId, o.seed, {
      tMs: atMs,
      counters: { runningHours: i.runningHours, loadedHours: i.loadedHours, motorStarts: i.motorStarts, loadCycles: i.loadCycles },
      readings: { separatorDpBar: i.separatorDpBar, airFilterDpMbar: i.airFilterDpMbar },
      utcOffsetMinutes: o.utcOffsetMinutes,
      ambientC: o.ambientC,
    });
  }
  // The faults of this run are exactly the ones given (a restart without them heals the
  // machine); without the option, a restored state keeps its own.
  if (o.faults) state = injectFaults({ ...state, faults: [] }, o.faults);
  const maxFf = o.maxFastForwardMs ?? 45 * DAY_MS;
  if (now - state.tMs > maxFf) {
    // Too long to replay at start: the machine was off meanwhile, counters carry on from here.
    state = { ...state, tMs: now - maxFf };
  }
  if (now > state.tMs) {
    const fromMs = state.tMs;
    state = advance(state, now, { collectEvents: false }).state;
    if (now - fromMs > 60_000) log.info({ fromMs, toMs: now }, 'model fast-forwarded to now');
  }
  return state;
}
