import { Counter, Histogram, type Registry } from 'prom-client';

export interface RulesMetrics {
  /** Rules evaluation per ingest batch (load state, evaluate, write intents), seconds. */
  evaluationSeconds: Histogram;
  alarmsRaised: Counter<'type' | 'severity'>;
  /** how = condition (the rule or device ended it) | manual (a person cleared it). */
  alarmsCleared: Counter<'type' | 'how'>;
  /** Judgments entering a status (pending on creation, then sent, applied, …). */
  judgments: Counter<'kind' | 'status'>;
  publishFailures: Counter;
  /** Samples older than the device's newest: stored, counted, no live alarms. */
  lateSamples: Counter;
  /** Rule failures skipped so they cannot block ingest (a bug: alert on any increase). */
  ruleErrors: Counter;
}

/**
 * One set per registry. Several factories (the ingest hook, the HTTP services) share it,
 * so an existing metric is reused rather than registered twice.
 */
export function createRulesMetrics(registry: Registry): RulesMetrics {
  const registers = [registry];
  const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  return {
    evaluationSeconds: get('airfleet_rules_evaluation_seconds', () =>
      new Histogram({
        name: 'airfleet_rules_evaluation_seconds',
        help: 'Rules evaluation per ingest batch, inside its transaction',
        buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1],
        registers,
      }),
    ),
    alarmsRaised: get('airfleet_alarms_raised_total', () =>
      new Counter({ name: 'airfleet_alarms_raised_total', help: 'Alarms raised (new active alarms)', labelNames: ['type', 'severity'], registers }),
    ),
    alarmsCleared: get('airfleet_alarms_cleared_total', () =>
      new Counter({ name: 'airfleet_alarms_cleared_total', help: 'Alarms cleared, by the condition ending or by a person', labelNames: ['type', 'how'], registers }),
    ),
    judgments: get('airfleet_judgments_total', () =>
      new Counter({ name: 'airfleet_judgments_total', help: 'Judgments entering each status, by kind', labelNames: ['kind', 'status'], registers }),
    ),
    publishFailures: get('airfleet_judgment_publish_failures_total', () =>
      new Counter({ name: 'airfleet_judgment_publish_failures_total', help: 'Judgment publishes that failed (retried on reconnect)', registers }),
    ),
    lateSamples: get('airfleet_rules_late_samples_total', () =>
      new Counter({ name: 'airfleet_rules_late_samples_total', help: 'Out-of-order samples: stored and counted, no live alarms', registers }),
    ),
    ruleErrors: get('airfleet_rules_errors_total', () =>
      new Counter({ name: 'airfleet_rules_errors_total', help: 'Rule evaluations or judgments dropped because of a rule bug (never blocks ingest)', registers }),
    ),
  };
}
