const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * An amount in the customer's own currency, written the way the reader's language writes it
 * (£1,234 / ¥1,234 / US$1,234 in Chinese). Whole units above 100: a report reader compares
 * magnitudes, not pennies.
 */
export function formatMoney(value: number | null | undefined, currency: string, lng: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const decimals = Math.abs(value) >= 100 ? 0 : 2;
  const key = `${lng}:${currency}:${decimals}`;
  let format = moneyFormats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(lng, { style: 'currency', currency, minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    } catch {
      // An unknown currency code still shows the amount, with the code after it.
      const plain = new Intl.NumberFormat(lng, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      format = { format: (n: number) => `${plain.format(n)} ${currency}` } as Intl.NumberFormat;
    }
    moneyFormats.set(key, format);
  }
  return format.format(value);
}

/** A share (0–1) as a whole percentage in the reader's language. */
export function formatPercent(value: number | null | undefined, lng: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(lng, { style: 'percent', maximumFractionDigits: 0 }).format(value);
}
