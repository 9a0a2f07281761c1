/**
 * Formatting for people: money in the CRM's currency, dates and relative times in the
 * element's locale, initials. All through Intl; nothing here renders HTML.
 */
import type { Money } from '../api/schemas.js';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
function cached<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.RelativeTimeFormat>(
  key: string,
  make: () => T,
): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

const canonical = new Map<string, string | undefined>();

/**
 * A locale Intl accepts, or undefined (the browser's) when the given one is not valid.
 * Remembered per input: every formatter calls it, for every row a list renders.
 */
export function safeLocale(locale: string | undefined): string | undefined {
  if (!locale) return undefined;
  if (!canonical.has(locale)) {
    let value: string | undefined;
    try {
      value = Intl.getCanonicalLocales(locale)[0];
    } catch {
      value = undefined;
    }
    canonical.set(locale, value);
  }
  return canonical.get(locale);
}

/** Fraction digits of a currency's minor unit (JPY 0, USD 2, BHD 3). */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** `$125.00` for `{amountMinor: 12500, currency: 'USD'}` in `en-US`. */
export function formatMoney(money: Money, locale?: string): string {
  const loc = safeLocale(locale);
  const digits = minorDigits(money.currency);
  const f = cached(`m|${loc}|${money.currency}`, () => {
    try {
      return new Intl.NumberFormat(loc, { style: 'currency', currency: money.currency });
    } catch {
      return new Intl.NumberFormat(loc, { minimumFractionDigits: digits });
    }
  });
  return f.format(money.amountMinor / 10 ** digits);
}

/** `1,234` in the locale. */
export function formatCount(n: number, locale?: string): string {
  const loc = safeLocale(locale);
  return cached(`n|${loc}`, () => new Intl.NumberFormat(loc)).format(n);
}

/** `Jun 15, 2026` */
export function formatDate(iso: string, locale?: string): string {
  const loc = safeLocale(locale);
  return cached(`d|${loc}`, () => new Intl.DateTimeFormat(loc, { dateStyle: 'medium' })).format(
    new Date(iso),
  );
}

/** `Jun 15, 2026, 10:42 AM` */
export function formatDateTime(iso: string, locale?: string): string {
  const loc = safeLocale(locale);
  return cached(
    `dt|${loc}`,
    () => new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(new Date(iso));
}

/** `10:42` */
export function formatTime(date: Date, locale?: string): string {
  const loc = safeLocale(locale);
  return cached(`t|${loc}`, () => new Intl.DateTimeFormat(loc, { timeStyle: 'short' })).format(
    date,
  );
}

const DAY = 86_400_000;

/** The largest unit that fits in `diff` ms: a year, month or week, else days (`0 days`). */
const unitOf = (diff: number): ['year' | 'month' | 'week' | 'day', number] =>
  diff >= 365 * DAY
    ? ['year', 365 * DAY]
    : diff >= 30 * DAY
      ? ['month', 30 * DAY]
      : diff >= 7 * DAY
        ? ['week', 7 * DAY]
        : ['day', DAY];

/** `3 weeks ago`, `in 2 days`, `today` relative to `now`. */
export function formatRelative(iso: string, now: number = Date.now(), locale?: string): string {
  const loc = safeLocale(locale);
  const f = cached(`r|${loc}`, () => new Intl.RelativeTimeFormat(loc, { numeric: 'auto' }));
  const diff = Date.parse(iso) - now;
  const [unit, ms] = unitOf(Math.abs(diff));
  // Less than a day either way: 0 (or -0, formatted the same), `today`.
  return f.format(Math.trunc(diff / ms), unit);
}

/** `3 months`, `1 year`: the time between two instants, for "time since first booking". */
export function formatDuration(fromIso: string, now: number = Date.now(), locale?: string): string {
  const loc = safeLocale(locale);
  const diff = Math.abs(now - Date.parse(fromIso));
  const [unit, ms] = unitOf(diff);
  return cached(
    `u|${loc}|${unit}`,
    () => new Intl.NumberFormat(loc, { style: 'unit', unit, unitDisplay: 'long' }),
  ).format(Math.floor(diff / ms));
}

/** `MR` for `Maya Rivera`; `?` for an empty name. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/u).filter(Boolean);
  return (
    (parts.length > 1 ? [parts[0]!, parts.at(-1)!] : parts)
      .map((p) => Array.from(p)[0]!.toUpperCase())
      .join('') || '?'
  );
}

/**
 * A URL from data that may go into `src`: only `https:` and `http:` (and same-origin
 * relative URLs). `javascript:`, `data:` and anything unparsable give `undefined`.
 */
export function safeImageUrl(
  url: string | null | undefined,
  base = globalThis.location?.href,
): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, base);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
