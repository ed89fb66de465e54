import type { BatchResult, InTransactionHook, IngestBatch } from '../ingest/ingest-store.repository.ts';
import type { RulesRuntime } from '../rules/rules.runtime.ts';
import { ingestFanout } from './ingest-fanout.ts';
import type { PlatformEvents } from './platform-events.ts';

/**
 * The ingest hooks every composition root uses: rules inside the batch's transaction, then,
 * after COMMIT, the live fan-out followed by the rules' follow-ups (judgment publishing).
 */
export function ingestHooks(rules: RulesRuntime, events: PlatformEvents): { inTransaction: InTransactionHook; afterCommit: (batch: IngestBatch, result: BatchResult) => void } {
  const fanout = ingestFanout(events);
  return {
    inTransaction: rules.inTransaction,
    afterCommit: (batch, result) => {
      fanout(batch, result);
      rules.afterCommit(batch, result);
    },
  };
}
