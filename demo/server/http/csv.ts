/**
 * CSV cells and rows: RFC 4180 (comma, CRLF, fields with `"`, `,`, CR or LF quoted and
 * inner quotes doubled), with the formula-injection guard: a cell beginning with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is prefixed with `'` so a spreadsheet shows it as
 * text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: readonly (string | number | null | undefined)[]) =>
  `${cells.map(csvCell).join(',')}\r\n`;

/** Minor units as a decimal in the currency's minor digits: 12500 USD → `125.00`, JPY → `12500`. */
export function decimalAmount(amountMinor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(amountMinor);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  const unit = 10 ** digits;
  return `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, '0')}`;
}

const digitsCache = new Map<string, number>();
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits =
        new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
          .maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  return digits;
}

/** `YYYY-MM-DD` (UTC) of an ISO time; empty for null. */
export const csvDate = (iso: string | null) => (iso ? iso.slice(0, 10) : '');
