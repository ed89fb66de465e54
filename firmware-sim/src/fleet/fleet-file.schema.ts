import { z } from 'zod';
import { deviceIdSchema, findModel } from '@airfleet/contracts';

/**
 * The fleet file: credentials and character of the simulated devices. The platform's demo
 * seed writes it on first start (default `$DATA_DIR/fleet.json`); `--provision` appends to it.
 * Unknown keys are kept (loose objects) so a writer's extra fields survive our rewrites.
 */
export const fleetInitialSchema = z.looseObject({
  runningHours: z.number().min(0).optional(),
  loadedHours: z.number().min(0).optional(),
  motorStarts: z.number().int().min(0).optional(),
  loadCycles: z.number().int().min(0).optional(),
  /** Last element readings (e.g. of the final back-filled sample): the wear state continues from them. */
  separatorDpBar: z.number().min(0).max(5).optional(),
  airFilterDpMbar: z.number().min(0).max(500).optional(),
  /**
   * The instant these counters describe. When set (and in the past), the simulator replays
   * the model from then to now: a device whose history was back-filled with
   * `generateHistory({ fromMs: atMs, seed, initial })` continues exactly where it left off.
   */
  atMs: z.number().int().min(0).optional(),
});

export const fleetDeviceSchema = z.looseObject({
  id: deviceIdSchema,
  token: z.string().min(1),
  modelId: z.string().refine((id) => findModel(id) !== undefined, { message: 'unknown compressor model' }),
  serial: z.string().optional(),
  siteId: z.string().optional(),
  /** Site local time offset; drives shifts and the daily ambient cycle. */
  utcOffsetMinutes: z.number().int().min(-840).max(840).optional(),
  /** Site mean compressor-room temperature, °C. */
  ambientC: z.number().min(-30).max(60).optional(),
  /** Model seed; when absent one is derived from `--seed` and the device id. */
  seed: z.number().int().optional(),
  initial: fleetInitialSchema.optional(),
});

export const fleetFileSchema = z.looseObject({
  devices: z.array(fleetDeviceSchema),
});

export type FleetInitial = z.infer<typeof fleetInitialSchema>;
export type FleetDevice = z.infer<typeof fleetDeviceSchema>;
export type FleetFile = z.infer<typeof fleetFileSchema>;
