import type { AlarmSeverity, CompressorModel, Device, MachineState, Site } from '@airfleet/contracts';
import { liveHealth, limitLevel, type Health, type LimitLevel } from '../../../lib/health.ts';

/** What the fleet list shows as a machine's state: its own state, or why there is none. */
export type DisplayState = MachineState | 'offline' | 'unknown';
export const DISPLAY_STATES: readonly DisplayState[] = ['loaded', 'unloaded', 'standby', 'stopped', 'tripped', 'offline', 'unknown'];

export function displayState(device: Pick<Device, 'online' | 'latest'>): DisplayState {
  if (!device.online) return 'offline';
  return device.latest?.state ?? 'unknown';
}

/** Active alarms of one machine, as the fleet list needs them (the app layer supplies them). */
export interface FleetAlarmCount {
  total: number;
  worst: AlarmSeverity | null;
}

export interface FleetRow {
  id: string;
  modelId: string;
  serial: string;
  siteId: string;
  siteName: string;
  customerId: string;
  customerName: string;
  state: DisplayState;
  seq: number | null;
  pressure: number | null;
  adt: number | null;
  adtLevel: LimitLevel;
  power: number | null;
  /** null: alarm counts are not available. */
  alarms: FleetAlarmCount | null;
  health: Health | null;
  lastSeenMs: number | null;
}

export interface FleetLookups {
  sites: ReadonlyMap<string, Site> | undefined;
  models: ReadonlyMap<string, CompressorModel> | undefined;
  alarmCounts: ReadonlyMap<string, FleetAlarmCount> | null;
}

export function toRow(d: Device, { sites, models, alarmCounts }: FleetLookups): FleetRow {
  const site = sites?.get(d.siteId);
  const model = models?.get(d.modelId);
  const m = d.latest?.metrics;
  return {
    id: d.id,
    modelId: d.modelId,
    serial: d.serial,
    siteId: d.siteId,
    siteName: site?.name ?? d.siteId,
    customerId: d.customerId,
    customerName: site?.customerName ?? d.customerId,
    state: displayState(d),
    seq: d.latest?.seq ?? null,
    pressure: m?.pressureBar ?? null,
    adt: m?.elementTempC ?? null,
    adtLevel: limitLevel('elementTempC', m?.elementTempC, model),
    power: m?.powerKw ?? null,
    alarms: alarmCounts ? (alarmCounts.get(d.id) ?? { total: 0, worst: null }) : null,
    health: liveHealth(m, d.latest?.state, model),
    lastSeenMs: d.lastSeenAt ? Date.parse(d.lastSeenAt) : null,
  };
}

export interface FleetFilter {
  q: string;
  customerId: string;
  siteId: string;
  state: DisplayState | '';
}

export const EMPTY_FILTER: FleetFilter = { q: '', customerId: '', siteId: '', state: '' };

export function filterRows(rows: readonly FleetRow[], f: FleetFilter): FleetRow[] {
  const q = f.q.trim().toLowerCase();
  return rows.filter(
    (r) =>
      (!f.customerId || r.customerId === f.customerId) &&
      (!f.siteId || r.siteId === f.siteId) &&
      (!f.state || r.state === f.state) &&
      (!q ||
        r.id.toLowerCase().includes(q) ||
        r.serial.toLowerCase().includes(q) ||
        r.siteName.toLowerCase().includes(q) ||
        r.customerName.toLowerCase().includes(q) ||
        r.modelId.toLowerCase().includes(q)),
  );
}

export const SORT_KEYS = ['machine', 'site', 'state', 'pressure', 'adt', 'power', 'alarms', 'health', 'lastSeen'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

/** Trouble first when sorting by state ascending: a tripped machine is what an operator looks for. */
const STATE_ORDER: Record<DisplayState, number> = { tripped: 0, offline: 1, unknown: 2, stopped: 3, standby: 4, unloaded: 5, loaded: 6 };
const SEVERITY_RANK: Record<AlarmSeverity, number> = { critical: 4, major: 3, minor: 2, warning: 1 };

function sortValue(r: FleetRow, key: SortKey): string | number | null {
  switch (key) {
    case 'machine':
      return r.id;
    case 'site':
      return `${r.customerName}\u0000${r.siteName}`;
    case 'state':
      return STATE_ORDER[r.state];
    case 'pressure':
      return r.pressure;
    case 'adt':
      return r.adt;
    case 'power':
      return r.power;
    case 'alarms':
      // Worst severity first, then how many.
      return r.alarms ? (r.alarms.worst ? SEVERITY_RANK[r.alarms.worst] : 0) * 100_000 + r.alarms.total : null;
    case 'health':
      return r.health?.score ?? null;
    case 'lastSeen':
      return r.lastSeenMs;
  }
}

/** Stable, with missing values last in either direction and the id as tie-break. */
export function sortRows(rows: readonly FleetRow[], key: SortKey, dir: SortDir): FleetRow[] {
  const sign = dir === 'asc' ? 1 : -1;
  const keyed = rows.map((r) => ({ r, v: sortValue(r, key) }));
  keyed.sort((a, b) => {
    if (a.v === null || b.v === null) {
      if (a.v !== b.v) return a.v === null ? 1 : -1;
    } else if (a.v !== b.v) {
      return (a.v < b.v ? -1 : 1) * sign;
    }
    return a.r.id < b.r.id ? -1 : a.r.id > b.r.id ? 1 : 0;
  });
  return keyed.map((k) => k.r);
}

export function countByState(rows: readonly FleetRow[]): Record<DisplayState, number> {
  const counts = Object.fromEntries(DISPLAY_STATES.map((s) => [s, 0])) as Record<DisplayState, number>;
  for (const r of rows) counts[r.state] += 1;
  return counts;
}
