import type { DeviceEvent, Judgment, JudgmentAck } from '@airfleet/contracts';
import type { Logger } from '@airfleet/runtime';
import type { CompressorState, Counters, FaultSpec, JudgmentPolicy } from '../model/index.ts';

/** Counters (and optionally element readings) at `atMs`; with `atMs` the agent replays the model from then to now. */
export interface InitialCounters extends Partial<Counters> {
  atMs?: number;
  separatorDpBar?: number;
  airFilterDpMbar?: number;
}

export interface DeviceAgentOptions {
  deviceId: string;
  token: string;
  modelId: string;
  seed: number;
  /** mqtt://host:port or mqtts://host:port */
  mqttUrl: string;
  /** Root directory; this device keeps its queue and state under `<queueDir>/<deviceId>/`. */
  queueDir: string;
  /** TELEMETRY_INTERVAL_MS (default 5000). */
  intervalMs?: number;
  /** Device clock (epoch ms); tests inject a fast or fixed clock. Sample instants, telemetry `ts`,
   *  fault onsets, expiry and every model timer use it. */
  clock?: () => number;
  /**
   * How many device milliseconds pass per real millisecond (default 1). Only the real-time timer
   * period depends on it (intervalMs / clockSpeed); samples stay intervalMs apart in device time.
   */
  clockSpeed?: number;
  utcOffsetMinutes?: number;
  ambientC?: number;
  initial?: InitialCounters;
  /** Explicit starting state; wins over a persisted one and over `initial`. */
  state?: CompressorState;
  /** Injected faults of this run; they replace those of a restored state (omit to keep them). */
  faults?: FaultSpec[];
  firmware?: string;
  log?: Logger;
  /** Queue bound (default: 7 days of samples, the protocol's store-and-forward horizon). */
  maxQueueSamples?: number;
  maxBatchSamples?: number;
  maxBatchBytes?: number;
  /** Reconnect delay (default 1–3 s, jittered per device so a fleet does not reconnect in lockstep). */
  reconnectPeriodMs?: number;
  keepaliveS?: number;
  /** Longest gap the model is replayed across on start (default 45 days); beyond it counters jump. */
  maxFastForwardMs?: number;
  /** How often the model state is saved (device clock ms, default 60 s). */
  persistEveryMs?: number;
  /** Local policy for remote set-point changes and stops (default: both allowed). */
  judgmentPolicy?: Partial<JudgmentPolicy>;
  /** Operator stand-in: reset a latched trip this long (device ms) after it, once the element has cooled. Default: never. */
  autoResetTripAfterMs?: number;
  /** Every valid judgment received, with the ack sent for it (`duplicate`: a repeat, not applied again). */
  onJudgment?: (judgment: Judgment, ack: JudgmentAck, duplicate: boolean) => void;
  /** Every notable model event (start/stop/trip/warning/reset), as published. */
  onEvent?: (event: DeviceEvent) => void;
}

export interface AgentStats {
  connected: boolean;
  connects: number;
  /** Next telemetry seq (samples taken since boot). */
  seq: number;
  /** Samples appended to the queue. */
  queued: number;
  /** Telemetry messages acknowledged (single samples or arrays). */
  published: number;
  /** Samples acknowledged (PUBACK received). */
  acked: number;
  /** Samples waiting in the queue. */
  pending: number;
  /** Samples dropped because the queue was full. */
  dropped: number;
  /** Events acknowledged (PUBACK). */
  events: number;
  /** Acks acknowledged (PUBACK). */
  acks: number;
  /** Events and acks waiting in the outbox. */
  outboxPending: number;
  /** Valid judgments received (repeats included). */
  judgments: number;
  /** Repeats of judgments already handled (re-acked, not applied again). */
  judgmentsDuplicate: number;
  /** Payloads on the judgments topic that were not valid judgments. */
  judgmentsRejected: number;
}
