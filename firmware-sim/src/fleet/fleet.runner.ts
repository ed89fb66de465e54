import type { Logger } from '@airfleet/runtime';
import { DeviceAgent } from '../agent/device.agent.ts';
import { hash32, type FaultSpec } from '../model/index.ts';
import type { SimConfig } from '../sim.config.ts';
import type { FleetDevice } from './fleet-file.schema.ts';

export interface FleetProgress {
  type: 'sim-progress';
  started: number;
  connected: number;
  total: number;
}

export interface RunningFleet {
  agents: DeviceAgent[];
  /** Stops every agent (each sends its retained offline status first). */
  stop(): Promise<void>;
}

/** Seed for a device without one: stable per (base seed, device id). */
export function deviceSeed(device: FleetDevice, baseSeed: number): number {
  if (device.seed !== undefined) return device.seed;
  let h = baseSeed;
  for (let i = 0; i < device.id.length; i += 1) h = hash32(h, device.id.charCodeAt(i));
  return h % 1_000_000;
}

/**
 * Starts one agent per device with a stagger between connects (the gateway rate-limits
 * CONNECTs per address, and a fleet reconnecting in lockstep is a thundering herd), and
 * reports progress to the log and, when spawned by the launcher, over IPC.
 */
export function runFleet(
  config: Pick<SimConfig, 'mqttUrl' | 'queueDir' | 'intervalMs' | 'seed' | 'staggerMs'> & Partial<Pick<SimConfig, 'autoResetTripAfterMs'>>,
  devices: FleetDevice[],
  log: Logger,
  onProgress: (p: FleetProgress) => void = () => undefined,
  faults: ReadonlyMap<string, FaultSpec[]> = new Map(),
): RunningFleet {
  const agents: DeviceAgent[] = [];
  let stopping = false;
  let connected = 0;
  const report = (): void => {
    const progress: FleetProgress = { type: 'sim-progress', started: agents.length, connected, total: devices.length };
    onProgress(progress);
    if (connected === devices.length || connected % 10 === 0) log.info(progress, 'devices connected');
  };
  const starting = (async () => {
    for (const device of devices) {
      if (stopping) break;
      const agent = new DeviceAgent({
        deviceId: device.id,
        token: device.token,
        modelId: device.modelId,
        seed: deviceSeed(device, config.seed),
        mqttUrl: config.mqttUrl,
        queueDir: config.queueDir,
        intervalMs: config.intervalMs,
        utcOffsetMinutes: device.utcOffsetMinutes,
        ambientC: device.ambientC,
        initial: device.initial,
        // Exactly this run's faults: a device left out of the scenario runs healthy again.
        faults: faults.get(device.id) ?? [],
        ...(config.autoResetTripAfterMs != null ? { autoResetTripAfterMs: config.autoResetTripAfterMs } : {}),
        log,
      });
      agents.push(agent);
      try {
        await agent.start();
      } catch (err) {
        log.error({ err, deviceId: device.id }, 'device failed to start');
        continue;
      }
      agent.waitForConnection(24 * 3_600_000).then(
        () => {
          connected += 1;
          report();
        },
        () => undefined,
      );
      if (config.staggerMs > 0) await new Promise((r) => setTimeout(r, config.staggerMs));
    }
  })();
  return {
    agents,
    async stop() {
      stopping = true;
      await starting;
      await Promise.allSettled(agents.map((a) => a.stop()));
    },
  };
}
