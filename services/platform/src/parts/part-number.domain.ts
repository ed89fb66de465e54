/**
 * How a typed parts query is understood (docs/domain.md §6): people type numbers with spaces,
 * dashes, dots or none, drop the leading zero, type only the start, or type full-width
 * digits from a Chinese input method. Pure: no I/O.
 */

export const PART_NUMBER_DIGITS = 10;

export type PartQuery =
  /** Exact numbers to try, in order; then `prefix` as a fallback (a 9-digit entry may be a lost zero or a start). */
  | { kind: 'number'; digits: string; exact: string[]; prefix: string | null }
  | { kind: 'prefix'; digits: string }
  | { kind: 'text'; text: string }
  | { kind: 'none' };

// Separators people put between digit groups, after NFKC folding (which already turns
// full-width digits, spaces, dots, dashes and slashes into ASCII ones).
const SEPARATORS = /[\sー\-‐‑‒–—―.·•/\\_,，、。:：'’`]+/gu;
// A label in front of the number: "P/N 4711…", "Part no. …", "Art.-Nr. …", "#…", "零件号：…".
const LABEL = /^(?:p\s*\/?\s*n|part\s*(?:no|nr|number)?|art(?:icle)?\s*[-.]?\s*(?:no|nr)?|item|no|nr|ref|#|零件号|零件编号|件号|编号|料号|订货号)\s*[.:：#]?\s*/iu;

/** NFKC (full-width → ASCII), lower case, single spaces, trimmed. */
export function normaliseText(raw: string): string {
  return raw.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Digits only, when the text is a number written any way; null when it holds anything else. */
export function digitsOf(raw: string): string | null {
  const text = normaliseText(raw).replace(LABEL, '');
  const digits = text.replace(SEPARATORS, '');
  return /^\d+$/.test(digits) ? digits : null;
}

export function parsePartQuery(raw: string | undefined): PartQuery {
  if (raw === undefined) return { kind: 'none' };
  const text = normaliseText(raw);
  if (text === '') return { kind: 'none' };
  const digits = digitsOf(text);
  if (digits === null) return { kind: 'text', text };
  if (digits.length === PART_NUMBER_DIGITS) return { kind: 'number', digits, exact: [digits], prefix: null };
  if (digits.length === PART_NUMBER_DIGITS - 1) {
    // Spreadsheets and some ERP fields strip a leading zero: 0471 0102 00 → 661010200.
    return { kind: 'number', digits, exact: [`0${digits}`], prefix: digits };
  }
  if (digits.length < PART_NUMBER_DIGITS) return { kind: 'prefix', digits };
  return { kind: 'text', text };
}

/** `4711003000` → `4711 0030 00`. */
export function formatPartNumber(number: string): string {
  const d = number.trim();
  return `${d.slice(0, 4)} ${d.slice(4, 8)} ${d.slice(8)}`;
}

const HAN = /\p{Script=Han}/u;
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Overlapping Han bigrams of a Chinese query ("油滤器" → 油滤, 滤器). Trigrams over two- to
 * four-character Chinese words are too coarse for typo tolerance; bigrams matched as
 * substrings rank a near miss (a left-out or swapped character) next to the exact phrase.
 */
export function hanBigrams(text: string): string[] {
  const out = new Set<string>();
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run];
    if (chars.length === 1) out.add(run);
    for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  }
  return [...out];
}

/**
 * Search tokens of a text, the same for the catalogue (indexing) and a query: words of
 * letters and digits (≥ 2 characters, or any digits), and for Chinese each run of Han
 * characters whole plus its bigrams, since Chinese has no spaces between words.
 */
export function searchTokens(text: string): string[] {
  const out = new Set<string>();
  for (const segment of normaliseText(text).split(/[^\p{L}\p{N}]+/u)) {
    if (!segment) continue;
    for (const piece of segment.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) ?? []) {
      if (hasHan(piece)) {
        out.add(piece);
        for (const b of hanBigrams(piece)) out.add(b);
      } else if (piece.length >= 2 || /\d/.test(piece)) {
        out.add(piece);
      }
    }
  }
  return [...out];
}

/**
 * A query of only one or two Chinese characters (spaces ignored), as people start typing on a
 * phone: 油 (oil), 阀 (valve), 滤芯. Returns those characters, or null for anything else.
 */
export function shortChineseQuery(text: string): string | null {
  const chars = [...normaliseText(text).replace(/\s+/gu, '')];
  return chars.length >= 1 && chars.length <= 2 && chars.every((c) => hasHan(c)) ? chars.join('') : null;
}
