import { z } from 'zod';
import { deviceIdSchema, isMetricKey, METRICS, type MetricKey } from '@airfleet/contracts';
import { FAULT_KINDS, type FaultKind, type FaultSpec } from '../model/index.ts';

/**
 * Fault scenarios: which device gets which fault, when, how bad. The same entry
 * shape comes from a scenario file (`--scenario file.json`) and from `--fault` flags; onsets
 * may be absolute (ISO time or epoch ms) or relative to the start of the run (`+2h`, `+3d`).
 */
const RELATIVE_ONSET = /^\+(\d+(?:\.\d+)?)(s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SENSOR_KINDS: readonly FaultKind[] = ['stuck_sensor', 'sensor_dropout'];

export const onsetSchema = z.union([
  z.number().int().min(946_684_800_000, 'epoch ms onset must be after 2000-01-01'),
  z
    .string()
    .refine((s) => RELATIVE_ONSET.test(s) || (/^\d{4}-\d{2}-\d{2}/.test(s) && Number.isFinite(Date.parse(s))), {
      message: 'onset must be an ISO time (2025-11-20T06:00:00Z) or relative to the start (+90m, +2h, +3d)',
    }),
]);
export type Onset = z.infer<typeof onsetSchema>;

export const faultEntrySchema = z
  .strictObject({
    /** A device id from the fleet file, or a 0-based index into the devices being run. */
    device: z.union([deviceIdSchema, z.number().int().min(0)]),
    kind: z.enum(FAULT_KINDS),
    onset: onsetSchema,
    /** Fully developed strength, 0..1. */
    severity: z.number().min(0).max(1),
    /** Onset to full development; default per kind (DEFAULT_DEVELOP_HOURS). */
    developHours: z.number().min(0).max(8760).optional(),
    /** The fault ends this long after onset (default: never; a network outage 2 h). */
    durationHours: z.number().positive().max(8760).optional(),
    /** stuck_sensor / sensor_dropout: the metric concerned. */
    metric: z.string().refine(isMetricKey, { message: 'metric must be a known telemetry metric' }).optional(),
  })
  .superRefine((f, ctx) => {
    const sensor = SENSOR_KINDS.includes(f.kind);
    if (sensor && f.metric === undefined) ctx.addIssue({ code: 'custom', path: ['metric'], message: `${f.kind} needs a metric (e.g. elementTempC)` });
    if (!sensor && f.metric !== undefined) ctx.addIssue({ code: 'custom', path: ['metric'], message: `${f.kind} takes no metric` });
    if (f.kind === 'stuck_sensor' && f.metric !== undefined && isMetricKey(f.metric) && METRICS[f.metric].counter) {
      ctx.addIssue({ code: 'custom', path: ['metric'], message: 'counters cannot be stuck (they are exact, not sensed)' });
    }
  });
export type FaultEntry = z.infer<typeof faultEntrySchema>;

/** A scenario file: a bare list of entries, or `{ "description"?, "faults": [...] }`. */
export const faultScenarioSchema = z
  .union([z.array(faultEntrySchema), z.strictObject({ description: z.string().max(1000).optional(), faults: z.array(faultEntrySchema) })])
  .transform((v) => (Array.isArray(v) ? v : v.faults));

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

/** Epoch ms of an onset, relative ones counted from `startMs`. */
export function onsetMs(onset: Onset, startMs: number): number {
  if (typeof onset === 'number') return onset;
  const rel = RELATIVE_ONSET.exec(onset);
  if (rel) return startMs + Math.round(Number(rel[1]) * (UNIT_MS[rel[2] as string] as number));
  return Date.parse(onset);
}

/**
 * One `--fault` flag: `<device>:<kind>[/<metric>]:<onset>:<severity>[/<developHours>[/<durationHours>]]`.
 * The onset may itself contain colons (ISO time), so it is whatever lies between the kind and
 * the last field. Examples: `0:cooler_fouling:+6h:1`, `AF37-000123:stuck_sensor/pressureBar:2025-11-20T06:00:00Z:1`,
 * `3:network_outage:+1d:1/0/6` (a 6-hour outage).
 */
export function parseFaultFlag(flag: string): FaultEntry {
  const parts = flag.split(':');
  if (parts.length < 4) throw new FaultSpecError(`--fault ${JSON.stringify(flag)}: expected <device>:<kind>[/<metric>]:<onset>:<severity>[/<developHours>[/<durationHours>]]`);
  const [device = '', kindPart = '', ...rest] = parts;
  const last = rest.pop() ?? '';
  const [kind, metric] = kindPart.split('/');
  const [severity, developHours, durationHours] = last.split('/');
  const num = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : Number(s));
  const candidate = {
    // Resolved against the fleet later (resolveFaults): an id if one matches, else an index.
    device,
    kind,
    onset: rest.join(':'),
    severity: num(severity),
    ...(developHours !== undefined && developHours !== '' ? { developHours: num(developHours) } : {}),
    ...(durationHours !== undefined && durationHours !== '' ? { durationHours: num(durationHours) } : {}),
    ...(metric !== undefined ? { metric } : {}),
  };
  const parsed = faultEntrySchema.safeParse(candidate);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`).join('; ');
    throw new FaultSpecError(`--fault ${JSON.stringify(flag)}: ${why}`);
  }
  return parsed.data;
}

/**
 * Turns entries into FaultSpecs per device id. `device` matches a device id first; a number
 * (or a string of digits that is no device's id) is a 0-based index into `devices`.
 */
export function resolveFaults(entries: readonly FaultEntry[], devices: ReadonlyArray<{ id: string }>, startMs: number): Map<string, FaultSpec[]> {
  const out = new Map<string, FaultSpec[]>();
  for (const e of entries) {
    let id: string | undefined;
    if (typeof e.device === 'string' && devices.some((d) => d.id === e.device)) id = e.device;
    else if (typeof e.device === 'number' || /^\d+$/.test(e.device)) id = devices[Number(e.device)]?.id;
    if (id === undefined) throw new FaultSpecError(`fault ${e.kind}: no device ${JSON.stringify(e.device)} among the ${devices.length} devices being run`);
    const spec: FaultSpec = { kind: e.kind, onsetMs: onsetMs(e.onset, startMs), severity: e.severity };
    if (e.developHours !== undefined) spec.developHours = e.developHours;
    if (e.durationHours !== undefined) spec.durationHours = e.durationHours;
    if (e.metric !== undefined) spec.metric = e.metric as MetricKey;
    out.set(id, [...(out.get(id) ?? []), spec]);
  }
  return out;
}
