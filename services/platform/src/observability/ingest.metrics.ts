import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface IngestMetrics {
  messages: Counter<'channel'>;
  rowsInserted: Counter;
  duplicates: Counter;
  deadLetters: Counter<'reason'>;
  /** Dead letters only counted (in dead_letter_counts), not stored: a source over its sampling limit. */
  deadLettersDropped: Counter<'reason'>;
  batchSeconds: Histogram;
  batchRows: Histogram;
  commitFailures: Counter;
  pending: Gauge;
  /** Commit time minus the sample's own timestamp, for live samples: the end-to-end ingest lag. */
  lagSeconds: Histogram;
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry];
  return {
    messages: new Counter({ name: 'airfleet_ingest_messages_total', help: 'MQTT messages received by ingest', labelNames: ['channel'], registers }),
    rowsInserted: new Counter({ name: 'airfleet_ingest_rows_inserted_total', help: 'Telemetry rows inserted', registers }),
    duplicates: new Counter({ name: 'airfleet_ingest_duplicates_total', help: 'Telemetry samples already stored (redelivery or replay)', registers }),
    deadLetters: new Counter({ name: 'airfleet_dead_letters_total', help: 'Rejected messages (dead letters), stored or only counted', labelNames: ['reason'], registers }),
    deadLettersDropped: new Counter({
      name: 'airfleet_dead_letters_dropped_total',
      help: 'Dead letters counted in dead_letter_counts but not stored (their source was over its sampling limit)',
      labelNames: ['reason'],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'airfleet_ingest_batch_seconds',
      help: 'Time to write and commit one batch',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    }),
    batchRows: new Histogram({ name: 'airfleet_ingest_batch_rows', help: 'Telemetry rows per batch', buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000], registers }),
    commitFailures: new Counter({ name: 'airfleet_ingest_commit_failures_total', help: 'Batches that failed to commit and were retried', registers }),
    pending: new Gauge({ name: 'airfleet_ingest_pending_messages', help: 'Messages received but not yet committed and acknowledged', registers }),
    lagSeconds: new Histogram({
      name: 'airfleet_ingest_lag_seconds',
      help: 'Commit time minus sample timestamp, for samples younger than 60 s',
      buckets: [0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2, 5, 10, 30, 60],
      registers,
    }),
  };
}
