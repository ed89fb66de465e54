import { rm } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DeviceAgent } from '../agent/device.agent.ts';
import type { DeviceAgentOptions } from '../agent/device-agent.options.ts';

/**
 * A device on a fast-forward clock, through the real MQTT path (`bench:judgments`):
 * the model, sample instants, telemetry `ts`, fault onsets, judgment expiry and every controller
 * timer follow the device clock; only the agent's real-time timer period is divided by `speed`.
 * So 30 simulated days at speed 3600 (an hour per second) take 12 real minutes and produce the
 * same samples a real-time device would, one every `intervalMs` of device time.
 */
export interface AcceleratedDeviceOptions extends Omit<DeviceAgentOptions, 'clock' | 'clockSpeed' | 'state' | 'initial'> {
  /** Device time at the start (epoch ms). */
  startMs: number;
  /** Device milliseconds per real millisecond, e.g. 3600 = one simulated hour per real second. */
  speed: number;
  /** Delete this device's queue and saved state first (default true): a benchmark run starts clean. */
  fresh?: boolean;
  /** Counters of the machine at startMs (default: drawn from the seed). */
  initial?: Omit<NonNullable<DeviceAgentOptions['initial']>, 'atMs'>;
}

export interface AcceleratedDevice {
  agent: DeviceAgent;
  /** The device clock (epoch ms). */
  clock: () => number;
  /** Resolves once the device has sampled up to device time `tMs` (or rejects after `timeoutMs` real ms). */
  waitUntil(tMs: number, timeoutMs?: number): Promise<void>;
  stop(opts?: { sendOffline?: boolean }): Promise<void>;
}

/** A clock that starts at `startMs` and runs `speed` times faster than real time. */
export function acceleratedClock(startMs: number, speed: number, realNowMs: () => number = () => performance.now()): () => number {
  if (!(speed > 0)) throw new Error('speed must be > 0');
  const t0 = realNowMs();
  return () => Math.floor(startMs + (realNowMs() - t0) * speed);
}

/**
 * Starts one accelerated device. Plan the run so that the platform accepts the timestamps: its
 * ingest judges `ts` against its own receive time (protocol §6.2: ≤ 5 min ahead, ≤ 7 days
 * behind), so a device clock that overtakes the wall clock is refused unless the platform under
 * test runs on event time too.
 */
export async function runAcceleratedDevice(opts: AcceleratedDeviceOptions): Promise<AcceleratedDevice> {
  const { startMs, speed, fresh = true, initial, ...agentOpts } = opts;
  if (fresh) await rm(path.join(opts.queueDir, opts.deviceId), { recursive: true, force: true });
  const clock = acceleratedClock(startMs, speed);
  const agent = new DeviceAgent({
    ...agentOpts,
    clock,
    clockSpeed: speed,
    // The machine as it was at startMs; the agent replays the few device seconds until start().
    initial: { ...initial, atMs: startMs },
  });
  await agent.start();
  return {
    agent,
    clock,
    async waitUntil(tMs, timeoutMs = 600_000) {
      const deadline = performance.now() + timeoutMs;
      // Poll at the device's sample period in real time: the next sample is the earliest news.
      const pollMs = Math.max(5, Math.min(1000, (opts.intervalMs ?? 5000) / speed));
      while ((agent.modelState?.tMs ?? 0) < tMs) {
        if (performance.now() > deadline) throw new Error(`device ${opts.deviceId} did not reach ${new Date(tMs).toISOString()} in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },
    stop: (o) => agent.stop(o),
  };
}
