import type { RequestStatus } from '@airfleet/contracts';

/**
 * Request lifecycle (docs/architecture.md §5.1): open → in_review → quoted | scheduled → closed, or rejected
 * from any open state. A quote may turn into a visit (quoted → scheduled), and a work order
 * scheduled straight from a new request schedules it (open → scheduled). Re-setting the same
 * status is allowed so the service team can update the note the customer reads.
 */
const NEXT: Record<RequestStatus, readonly RequestStatus[]> = {
  open: ['open', 'in_review', 'scheduled', 'rejected', 'closed'],
  in_review: ['in_review', 'quoted', 'scheduled', 'rejected', 'closed'],
  quoted: ['quoted', 'scheduled', 'closed', 'rejected'],
  scheduled: ['scheduled', 'closed', 'rejected'],
  closed: [],
  rejected: [],
};

export function canMoveRequest(from: RequestStatus, to: RequestStatus): boolean {
  return NEXT[from].includes(to);
}

export function isRequestOpen(status: RequestStatus): boolean {
  return status !== 'closed' && status !== 'rejected';
}
