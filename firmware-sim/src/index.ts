// @airfleet/firmware-sim — simulated smart compressors. The pure model is also available on
// its own as `@airfleet/firmware-sim/model` (no I/O), e.g. for the platform's history seed.
export * from './model/index.ts';
export { DeviceAgent, FIRMWARE_VERSION, DEFAULT_TELEMETRY_INTERVAL_MS, DEFAULT_BATCH_MAX_BYTES } from './agent/device.agent.ts';
export type { DeviceAgentOptions, AgentStats, InitialCounters } from './agent/device-agent.options.ts';
export { SampleQueue, type SampleQueueOptions, type PeekResult, type QueuePosition } from './agent/sample.queue.ts';
export { fleetFileSchema, fleetDeviceSchema, fleetInitialSchema, type FleetFile, type FleetDevice, type FleetInitial } from './fleet/fleet-file.schema.ts';
export { readFleetFile, appendFleetDevices, FleetFileError } from './fleet/fleet-file.store.ts';
export { runFleet, deviceSeed, type RunningFleet, type FleetProgress } from './fleet/fleet.runner.ts';
export { runAcceleratedDevice, acceleratedClock, type AcceleratedDevice, type AcceleratedDeviceOptions } from './fleet/accelerated.runner.ts';
export {
  faultEntrySchema,
  faultScenarioSchema,
  onsetSchema,
  onsetMs,
  parseFaultFlag,
  resolveFaults,
  FaultSpecError,
  type FaultEntry,
  type Onset,
} from './fleet/fault-scenario.schema.ts';
export { resolveSimConfig, simEnvSchema, type SimConfig } from './sim.config.ts';
