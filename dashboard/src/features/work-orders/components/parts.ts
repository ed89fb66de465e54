import type { PartQuantity } from '@airfleet/contracts';

/** A part line while being edited: the number as typed (spaces, dashes) and a quantity. */
export interface PartDraft {
  partNumber: string;
  quantity: number | string;
}

/** Part numbers are printed `NNNN NNNN NN` (docs/domain.md §6): show them that way, store the 10 digits. */
export function formatPartNumber(n: string): string {
  return n.length === 10 ? `${n.slice(0, 4)} ${n.slice(4, 8)} ${n.slice(8)}` : n;
}

export const toDrafts = (parts: readonly PartQuantity[]): PartDraft[] => parts.map((p) => ({ partNumber: formatPartNumber(p.partNumber), quantity: p.quantity }));

/** Digits only; a lost leading zero is restored (people drop it when typing). */
export function normalisePartNumber(typed: string): string | null {
  const digits = typed.replace(/[\s.\-/]/g, '');
  if (!/^\d{1,10}$/.test(digits)) return null;
  return digits.padStart(10, '0');
}

/**
 * The parts as the API wants them, or the index of the first bad line. The same part on two
 * lines is one part with both quantities (typed twice means two of it).
 */
export function parseDrafts(drafts: readonly PartDraft[]): { parts: PartQuantity[] } | { badLine: number } {
  const byNumber = new Map<string, number>();
  for (const [i, d] of drafts.entries()) {
    const partNumber = normalisePartNumber(d.partNumber);
    const quantity = typeof d.quantity === 'number' ? d.quantity : d.quantity.trim() === '' ? Number.NaN : Number(d.quantity);
    if (!partNumber || !Number.isInteger(quantity) || quantity < 1 || quantity > 10_000) return { badLine: i };
    byNumber.set(partNumber, (byNumber.get(partNumber) ?? 0) + quantity);
  }
  return { parts: [...byNumber].map(([partNumber, quantity]) => ({ partNumber, quantity })) };
}
