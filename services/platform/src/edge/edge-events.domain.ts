import type { PlatformEvent } from '@airfleet/contracts';
import type { IngestBatch, TelemetryRow } from '../ingest/ingest-store.repository.ts';

/**
 * What a committed ingest batch tells the other processes beyond rules' alarms and judgments:
 * which devices have new values (ids only), birth and will messages, device events.
 */
export function edgeEvents(batch: IngestBatch, insertedRows: readonly TelemetryRow[]): PlatformEvent[] {
  const out: PlatformEvent[] = [];
  if (insertedRows.length > 0) out.push({ name: 'telemetry', payload: { deviceIds: [...new Set(insertedRows.map((r) => r.deviceId))] } });
  for (const s of batch.statuses) out.push({ name: 'status', payload: s });
  for (const e of batch.events) out.push({ name: 'deviceEvent', payload: e });
  return out;
}
