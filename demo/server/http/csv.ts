/**
 * CSV cells and rows: RFC 4180 (comma, CRLF, fields with `"`, `,`, CR or LF quoted and
 * inner quotes doubled), with the formula-injection guard: a cell beginning with `=`, `+`,
 * `-`, `@`, a tab or a carriage return is prefixed with `'` so a spreadsheet shows it as
 * text. A phone number made only of digits, spaces and `+()./-` is exempt (SPEC section 3):
 * it cannot run anything, and a mailing tool must get `+34 460 383 6787` as it is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
const PLAIN_PHONE = /^[0-9 +()./-]+$/;

/** A phone number cell: exempt from the formula guard when it is a plain number. */
export interface PhoneCell {
  phone: string | null;
}
export type CsvValue = string | number | null | undefined | PhoneCell;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (typeof value === 'object') {
    if (value.phone === null) return '';
    text = value.phone;
    if (!PLAIN_PHONE.test(text) && FORMULA_START.test(text)) text = `'${text}`;
  } else {
    text = String(value);
    if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  }
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: readonly CsvValue[]) => `${cells.map(csvCell).join(',')}\r\n`;

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
