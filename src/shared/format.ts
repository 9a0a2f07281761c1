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

/** `Jun 15, 2026`, in `timeZone` when given (a CRM's), else the viewer's. */
export function formatDate(iso: string, locale?: string, timeZone?: string): string {
  const loc = safeLocale(locale);
  return cached(
    `d|${loc}|${timeZone}`,
    () => new Intl.DateTimeFormat(loc, { dateStyle: 'medium', ...zoneOption(timeZone) }),
  ).format(new Date(iso));
}

/** `Jun 15, 2026, 10:42 AM` */
export function formatDateTime(iso: string, locale?: string): string {
  const loc = safeLocale(locale);
  return cached(
    `dt|${loc}`,
    () => new Intl.DateTimeFormat(loc, { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(new Date(iso));
}

/**
 * `10:42`, in `timeZone` when given. With `nameZone`, the zone's short name follows
 * (`10:42 CET`): for a class time shown in the studio's zone to a viewer in another one.
 */
export function formatTime(
  date: Date,
  locale?: string,
  timeZone?: string,
  nameZone = false,
): string {
  const loc = safeLocale(locale);
  return cached(
    `t|${loc}|${timeZone}|${nameZone}`,
    () =>
      new Intl.DateTimeFormat(loc, {
        ...(nameZone
          ? { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' }
          : { timeStyle: 'short' }),
        ...zoneOption(timeZone),
      }),
  ).format(date);
}

/** `Thu 18 Dec, 9:00` (weekday, day, month, time) in `timeZone` when given. */
export function formatClassTime(iso: string, locale?: string, timeZone?: string): string {
  const loc = safeLocale(locale);
  return cached(
    `ct|${loc}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(loc, {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        hour: 'numeric',
        minute: '2-digit',
        ...zoneOption(timeZone),
      }),
  ).format(new Date(iso));
}

/** The viewer's own IANA time zone. */
export const viewerTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * Whether `timeZone` (a CRM's) shows other wall-clock times than the viewer's zone at `at`:
 * then a class time names its zone.
 */
export function differsFromViewer(timeZone: string | undefined, at: number = Date.now()) {
  if (!timeZone) return false;
  const here = viewerTimeZone();
  if (timeZone === here) return false;
  const [a, b] = [dayNumber(at, timeZone), dayNumber(at, here)];
  const clock = (zone: string) => formatTime(new Date(at), 'en-GB', zone);
  return a !== b || clock(timeZone) !== clock(here);
}

const zoneOption = (timeZone: string | undefined) => (timeZone ? { timeZone } : {});

const DAY = 86_400_000;

/** The calendar date of an instant in a zone (the viewer's by default), as days since 1970. */
function dayNumber(instant: number, timeZone?: string): number {
  const parts = cached(
    `ymd|${timeZone}`,
    () =>
      new Intl.DateTimeFormat('en-US', {
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        ...zoneOption(timeZone),
      }),
  ).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY;
}

/**
 * How far `iso` is from `now` in calendar days of the viewer's zone (or `timeZone`), and the
 * unit to say it in: days under a week, weeks under a month, then whole calendar months, then
 * years. Calendar days, not elapsed hours: late last night is `yesterday` this morning.
 */
function calendarDistance(
  iso: string,
  now: number,
  timeZone?: string,
): ['year' | 'month' | 'week' | 'day', number] {
  const from = dayNumber(now, timeZone);
  const to = dayNumber(Date.parse(iso), timeZone);
  const days = to - from;
  const abs = Math.abs(days);
  if (abs < 7) return ['day', days];
  if (abs < 30) return ['week', Math.trunc(days / 7)];
  const [a, b] = [new Date(from * DAY), new Date(to * DAY)];
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  // A month not yet complete does not count: Jan 31 to Feb 27 is 4 weeks, not a month.
  if (months > 0 && b.getUTCDate() < a.getUTCDate()) months--;
  if (months < 0 && b.getUTCDate() > a.getUTCDate()) months++;
  if (months === 0) return ['week', Math.trunc(days / 7)];
  if (Math.abs(months) < 12) return ['month', months];
  return ['year', Math.trunc(months / 12)];
}

/**
 * `3 weeks ago`, `in 2 days`, `yesterday`, `today`, relative to `now`, by calendar days in the
 * viewer's zone (or `timeZone`). `short`: `2 mo. ago`, for a narrow column.
 */
export function formatRelative(
  iso: string,
  now: number = Date.now(),
  locale?: string,
  { short = false, timeZone }: { short?: boolean; timeZone?: string } = {},
): string {
  const loc = safeLocale(locale);
  const f = cached(
    `r|${loc}|${short}`,
    () => new Intl.RelativeTimeFormat(loc, { numeric: 'auto', style: short ? 'short' : 'long' }),
  );
  const [unit, n] = calendarDistance(iso, now, timeZone);
  return f.format(n, unit);
}

/** `3 months`, `1 year`: the time between two instants, for "time since first booking". */
export function formatDuration(fromIso: string, now: number = Date.now(), locale?: string): string {
  const loc = safeLocale(locale);
  const [unit, n] = calendarDistance(fromIso, now);
  return cached(
    `u|${loc}|${unit}`,
    () => new Intl.NumberFormat(loc, { style: 'unit', unit, unitDisplay: 'long' }),
  ).format(Math.abs(n));
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
