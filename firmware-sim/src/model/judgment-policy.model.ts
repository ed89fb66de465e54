import { DEVICE_EVENT_CODES, JUDGMENT_KINDS, judgmentSchema, type DeviceEvent, type DeviceStatus, type Judgment, type JudgmentAck } from '@airfleet/contracts';
import { cloneState } from './compressor.model.ts';
import { applyService, pressureBandProblem } from './operator.model.ts';
import { effectiveBand, modelSpec, PHYSICS, type CompressorState, type Derate, type HandledJudgment } from './physics.model.ts';
import { SERVICE_LEVEL_INCLUDES } from './service.model.ts';

/**
 * How the controller decides on the cloud's judgments (docs/protocol.md §9). Pure: the
 * agent hands in the judgment and the device clock, and publishes what comes back (the ack on
 * the acks topic, events, the retained status when `statusChanged`). The controller stays in
 * charge of safety: a judgment changes set points and limits, never a protection.
 */
export interface JudgmentPolicy {
  /** Local policy: may the cloud change the pressure band? */
  allowRemoteSetpoint: boolean;
  /** Local policy: may the cloud stop the machine? */
  allowRemoteStop: boolean;
}
export const DEFAULT_JUDGMENT_POLICY: JudgmentPolicy = { allowRemoteSetpoint: true, allowRemoteStop: true };

export interface JudgmentOutcome {
  state: CompressorState;
  /** Always present: every judgment is acknowledged (protocol §10). */
  ack: Required<JudgmentAck>;
  events: DeviceEvent[];
  /** maintenanceDue or derate changed: re-publish the retained status (protocol §5). */
  statusChanged: boolean;
  /** The id was handled before: this is the original ack, nothing was applied again. */
  duplicate: boolean;
}

/** Bound on remembered judgments; the oldest go first. */
export const MAX_REMEMBERED_JUDGMENTS = 256;
/**
 * Remember a judgment this long past its expiry: an ack may sit in the device's outbox for up to
 * the 7-day store-and-forward horizon while the platform keeps re-sending the judgment.
 */
export const REMEMBER_AFTER_EXPIRY_MS = 7 * 86_400_000;
/** Below this a duty limit is a stop in disguise: that is what shutdown_request is for. */
export const MIN_DERATE_DUTY_PCT = 10;

type Result = JudgmentAck['result'];
interface Decision {
  result: Result;
  reason: string;
  state?: CompressorState;
  events?: DeviceEvent[];
}

const bar = (x: number): string => `${Number(x.toFixed(2))} bar`;

/** The status fields the controller owns (maintenanceDue, derate), for birth and re-publish. */
export function statusFields(state: CompressorState): Pick<DeviceStatus, 'maintenanceDue' | 'derate'> {
  const out: Pick<DeviceStatus, 'maintenanceDue' | 'derate'> = {};
  if (state.memory.maintenanceDue) out.maintenanceDue = { ...state.memory.maintenanceDue };
  if (state.control.derate) out.derate = { ...state.control.derate };
  return out;
}

/** The stored decision for a judgment id, if it was handled. */
export function handledJudgment(state: CompressorState, id: string): HandledJudgment | undefined {
  return state.memory.judgments.find((h) => h.ack.judgmentId === id);
}

/** Decides on a valid judgment at device time `nowMs`. Idempotent by id. */
export function decideJudgment(state: CompressorState, judgment: Judgment, nowMs: number, policy: JudgmentPolicy = DEFAULT_JUDGMENT_POLICY): JudgmentOutcome {
  const seen = handledJudgment(state, judgment.id);
  if (seen) return { state, ack: { ...seen.ack }, events: [], statusChanged: false, duplicate: true };
  // Never apply after expiresAt by the device clock (protocol §9).
  const d: Decision = nowMs > judgment.expiresAt ? { result: 'ignored', reason: 'expired' } : decide(state, judgment, policy);
  return record(state, d, judgment.id, Math.max(judgment.expiresAt, nowMs), nowMs);
}

/**
 * A payload that is not a valid judgment: parsed far enough to find an id, it is acked
 * `rejected` with the reason (protocol §9 "Invalid judgments"); without an id there is nobody
 * to answer, so it returns null.
 */
export function decideRawJudgment(state: CompressorState, raw: unknown, nowMs: number, policy: JudgmentPolicy = DEFAULT_JUDGMENT_POLICY): { outcome: JudgmentOutcome | null; judgment: Judgment | null; problem?: string } {
  const parsed = judgmentSchema.safeParse(raw);
  if (parsed.success) return { outcome: decideJudgment(state, parsed.data, nowMs, policy), judgment: parsed.data };
  const obj = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const id = typeof obj.id === 'string' && obj.id.length >= 1 && obj.id.length <= 64 ? obj.id : null;
  const knownKinds: readonly string[] = JUDGMENT_KINDS;
  const problem =
    typeof obj.kind === 'string' && !knownKinds.includes(obj.kind)
      ? `unknown kind ${JSON.stringify(obj.kind).slice(0, 70)}`
      : `invalid judgment: ${parsed.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
          .join('; ')}`.slice(0, 500);
  if (id === null) return { outcome: null, judgment: null, problem };
  const seen = handledJudgment(state, id);
  if (seen) return { outcome: { state, ack: { ...seen.ack }, events: [], statusChanged: false, duplicate: true }, judgment: null, problem };
  const expiresAt = typeof obj.expiresAt === 'number' && Number.isFinite(obj.expiresAt) ? obj.expiresAt : nowMs;
  return { outcome: record(state, { result: 'rejected', reason: problem }, id, Math.max(expiresAt, nowMs), nowMs), judgment: null, problem };
}

function record(state: CompressorState, d: Decision, id: string, expiresAt: number, nowMs: number): JudgmentOutcome {
  const base = d.state ?? state;
  const next = base === state ? cloneState(state) : base;
  const ack = { judgmentId: id, ts: Math.round(nowMs), result: d.result, reason: d.reason.slice(0, 500) };
  const kept = next.memory.judgments.filter((h) => h.keepUntilMs >= nowMs);
  kept.push({ ack, keepUntilMs: expiresAt + REMEMBER_AFTER_EXPIRY_MS });
  next.memory = { ...next.memory, judgments: kept.slice(-MAX_REMEMBERED_JUDGMENTS) };
  const statusChanged = JSON.stringify(statusFields(state)) !== JSON.stringify(statusFields(next));
  return { state: next, ack: { ...ack }, events: d.events ?? [], statusChanged, duplicate: false };
}

function decide(state: CompressorState, j: Judgment, policy: JudgmentPolicy): Decision {
  switch (j.kind) {
    case 'setpoint_advice':
      return setpoint(state, j.params, policy);
    case 'derate':
      return derate(state, j.params);
    case 'maintenance_due': {
      const next = cloneState(state);
      next.memory = { ...next.memory, maintenanceDue: { level: j.params.level, dueInHours: j.params.dueInHours, dueInDays: j.params.dueInDays } };
      return {
        result: 'applied',
        reason: `shown on display; maintenanceDue set: level ${j.params.level} due in ${Math.round(j.params.dueInHours)} h / ${Math.round(j.params.dueInDays)} d`,
        state: next,
      };
    }
    case 'inspect': {
      const p = j.params;
      const unit = p.unit ? ` ${p.unit}` : '';
      return { result: 'applied', reason: `shown on display: ${p.check} ${p.value}${unit} vs peer median ${p.peerMedian}${unit} (percentile ${p.percentile} of ${p.peers})` };
    }
    case 'shutdown_request':
      return shutdown(state, j.params.code, policy);
    case 'service_reset': {
      const level = j.params.level;
      const next = applyService(state, level);
      const hours = next.counters.runningHours;
      const cleared = state.memory.maintenanceDue && !next.memory.maintenanceDue ? '; maintenanceDue cleared' : '';
      const wo = j.params.workOrderId ? ` (work order ${j.params.workOrderId})` : '';
      const event: DeviceEvent = {
        ts: Math.round(state.tMs),
        type: 'reset',
        code: 'SERVICE_RESET',
        message: `service level ${level} recorded${wo}`.slice(0, 500),
        values: { runningHours: Math.round(hours * 10) / 10 },
      };
      return {
        result: 'applied',
        reason: `service level ${level} recorded at ${hours.toFixed(1)} running hours${wo}: counters ${SERVICE_LEVEL_INCLUDES[level].join(', ')} restarted${cleared}`,
        state: next,
        events: [event],
      };
    }
  }
}

function setpoint(state: CompressorState, p: { loadBar: number; unloadBar: number; expectedSavingPct: number }, policy: JudgmentPolicy): Decision {
  if (!policy.allowRemoteSetpoint) return { result: 'rejected', reason: 'remote set-point changes are disabled by local policy' };
  const problem = pressureBandProblem(modelSpec(state.modelId), p.loadBar, p.unloadBar);
  if (problem) return { result: 'rejected', reason: problem };
  const next = cloneState(state);
  const was = `${bar(state.control.loadBar)}–${bar(state.control.unloadBar)}`;
  next.control.loadBar = p.loadBar;
  next.control.unloadBar = p.unloadBar;
  const band = effectiveBand(next.control);
  const capped = band.unloadBar < p.unloadBar ? `; the active derate holds it at ${bar(band.loadBar)}–${bar(band.unloadBar)}` : '';
  return { result: 'applied', reason: `pressure band set to ${bar(p.loadBar)}–${bar(p.unloadBar)} (was ${was})${capped}`, state: next };
}

function derate(state: CompressorState, p: Derate): Decision {
  const minCap = PHYSICS.minLoadBar + PHYSICS.minBandBar;
  if (p.maxLoadedDutyPct !== undefined && p.maxLoadedDutyPct < MIN_DERATE_DUTY_PCT) {
    return { result: 'rejected', reason: `maxLoadedDutyPct ${p.maxLoadedDutyPct} % is below the minimum ${MIN_DERATE_DUTY_PCT} %; use shutdown_request to stop the machine` };
  }
  if (p.maxPressureBar !== undefined && p.maxPressureBar < minCap) {
    return { result: 'rejected', reason: `maxPressureBar ${bar(p.maxPressureBar)} leaves no valid band (load ≥ ${PHYSICS.minLoadBar.toFixed(1)} bar, band ≥ ${PHYSICS.minBandBar} bar)` };
  }
  const next = cloneState(state);
  // A later derate replaces the earlier one (protocol §9); one with no limits lifts it.
  const limits: Derate = {};
  if (p.maxLoadedDutyPct !== undefined) limits.maxLoadedDutyPct = p.maxLoadedDutyPct;
  if (p.maxPressureBar !== undefined) limits.maxPressureBar = p.maxPressureBar;
  const active = Object.keys(limits).length > 0;
  next.control.derate = active ? limits : null;
  next.control.dutyHold = false;
  if (!active) return { result: 'applied', reason: 'derate lifted: no limits in force', state: next };
  const band = effectiveBand(next.control);
  const parts: string[] = [];
  if (limits.maxLoadedDutyPct !== undefined) parts.push(`loaded duty ≤ ${limits.maxLoadedDutyPct} %`);
  if (limits.maxPressureBar !== undefined) parts.push(`unload ≤ ${bar(limits.maxPressureBar)} (band now ${bar(band.loadBar)}–${bar(band.unloadBar)})`);
  return { result: 'applied', reason: `derate in force: ${parts.join(', ')}`, state: next };
}

function shutdown(state: CompressorState, code: string | undefined, policy: JudgmentPolicy): Decision {
  if (!policy.allowRemoteStop) return { result: 'rejected', reason: 'remote stop is disabled by local policy' };
  const next = cloneState(state);
  next.control.run = false;
  const running = state.state === 'loaded' || state.state === 'unloaded';
  const events: DeviceEvent[] = [];
  // A running motor's stop is announced by the controller on its next step (REMOTE_STOP);
  // a machine that is not running is announced here, so every remote stop leaves an event.
  if (!running) {
    events.push({ ts: Math.round(state.tMs), type: 'stop', code: DEVICE_EVENT_CODES.REMOTE_STOP, message: `remote stop${code ? ` (${code})` : ''} while ${state.state}` });
  }
  const how = state.state === 'tripped' ? 'already tripped; held stopped after reset' : running ? 'machine stopping' : `machine held stopped (was ${state.state})`;
  return { result: 'applied', reason: `${how}; restarts only on an explicit start`, events, state: next };
}
