import type { DeviceEvent, Telemetry } from '@airfleet/contracts';
import { advanceInPlace, cloneState, initialState } from './compressor.model.ts';
import type { DeviceProfile } from './device-profile.model.ts';
import type { FaultSpec } from './fault.model.ts';
import type { CompressorState, Counters } from './physics.model.ts';
import { toTelemetry } from './sample.model.ts';

export interface HistoryOptions {
  modelId: string;
  seed: number;
  /** First sample instant (epoch ms, inclusive). */
  fromMs: number;
  /** End of the range (exclusive). */
  toMs: number;
  sampleEveryMs: number;
  /** Counters at `fromMs`; missing ones are drawn from the seed (a machine a few years old). */
  initial?: Partial<Counters>;
  utcOffsetMinutes?: number;
  /** Site mean ambient, °C. */
  ambientC?: number;
  profile?: Partial<DeviceProfile>;
  faults?: FaultSpec[];
  /** Continue from an existing state instead (modelId/seed/initial are then ignored for the start). */
  state?: CompressorState;
  /** seq of the first sample (default 0). */
  startSeq?: number;
  /** Receives every model event (load/unload included) in time order. */
  onEvent?: (event: DeviceEvent) => void;
}

/**
 * Back-fills history with the same physics the live agent runs, so the
 * 30 days of demo history and the live data are one trajectory of one machine. Yields one Telemetry per sample instant;
 * the generator's return value is the state at the last sample, so a caller can persist it
 * and let the live agent continue with consistent counters.
 *
 * Starting from `initialState(modelId, seed, { tMs: fromMs, counters: initial, … })`, this
 * walks exactly the trajectory an agent fast-forwarding from the same state walks, because
 * the integration grid is fixed (PHYSICS.stepMs) and sample instants fall on it.
 */
export function* generateHistory(opts: HistoryOptions): Generator<Telemetry, CompressorState, undefined> {
  if (!(opts.sampleEveryMs > 0)) throw new Error('sampleEveryMs must be > 0');
  const w = opts.state
    ? cloneState(opts.state)
    : initialState(opts.modelId, opts.seed, {
        tMs: opts.fromMs,
        counters: opts.initial,
        utcOffsetMinutes: opts.utcOffsetMinutes,
        ambientC: opts.ambientC,
        profile: opts.profile,
        faults: opts.faults,
      });
  const events: DeviceEvent[] | null = opts.onEvent ? [] : null;
  let seq = opts.startSeq ?? 0;
  for (let t = opts.fromMs; t < opts.toMs; t += opts.sampleEveryMs) {
    advanceInPlace(w, t, events);
    if (events && events.length > 0) {
      for (const e of events) opts.onEvent?.(e);
      events.length = 0;
    }
    yield toTelemetry(w, seq);
    seq += 1;
  }
  return w;
}

/** Convenience: the whole history as an array plus the final state. */
export function historyArray(opts: HistoryOptions): { samples: Telemetry[]; state: CompressorState } {
  const samples: Telemetry[] = [];
  const gen = generateHistory(opts);
  for (;;) {
    const r = gen.next();
    if (r.done) return { samples, state: r.value };
    samples.push(r.value);
  }
}
