import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { formatMoney, formatPercent } from '../../../lib/money.ts';
import { formatComparison, relativeTo } from './usage-columns.ts';

// The English wording of the three comparison keys, as the catalogue has them.
const t = ((key: string, opts?: { pct?: string }) =>
  key.endsWith('.better') ? `${opts?.pct} % better` : key.endsWith('.worse') ? `${opts?.pct} % worse` : 'on par') as unknown as TFunction;

describe('specific energy against a reference', () => {
  it('less energy per m³ than the reference is better, more is worse, within 1 % is on par', () => {
    expect(relativeTo(0.108, 0.12)).toBeCloseTo(-0.1);
    expect(formatComparison(relativeTo(0.108, 0.12), 'en', t)).toBe('10 % better');
    expect(formatComparison(relativeTo(0.1344, 0.12), 'en', t)).toBe('12 % worse');
    expect(formatComparison(relativeTo(0.1205, 0.12), 'en', t)).toBe('on par');
  });

  it('no figure or no reference is no comparison', () => {
    expect(relativeTo(null, 0.12)).toBeNull();
    expect(relativeTo(0.1, null)).toBeNull();
    expect(relativeTo(0.1, 0)).toBeNull();
    expect(formatComparison(null, 'en', t)).toBe('—');
  });
});

describe('money and shares in the reader’s language', () => {
  it('writes the customer’s currency the reader’s way, whole units from 100 up', () => {
    expect(formatMoney(1122.4, 'GBP', 'en')).toBe('£1,122');
    expect(formatMoney(31.06, 'GBP', 'en')).toBe('£31.06');
    expect(formatMoney(7315, 'CNY', 'zh-CN')).toBe('¥7,315');
    expect(formatMoney(7315, 'USD', 'zh-CN')).toBe('US$7,315');
    expect(formatMoney(null, 'GBP', 'en')).toBe('—');
  });

  it('shares are whole percentages', () => {
    expect(formatPercent(0.754, 'en')).toBe('75%');
    expect(formatPercent(null, 'en')).toBe('—');
  });
});
