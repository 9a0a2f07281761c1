/**
 * Client insight (SPEC section 8): a client's rhythm and the segment `slipping`, and the
 * monthly attendance strip.
 *
 * Rhythm. `typicalGapDays` is the median of the gaps, in calendar days in the CRM's time
 * zone, between consecutive attended (`completed`) sessions that started in the last 365
 * days (`now - 365 x 24 h < startsAt <= now`); null with fewer than 4 such sessions. Two
 * sessions on one day are a gap of 0, as the rule says "consecutive sessions".
 *
 * What is stored, and why it stays exact. The segment must be an indexed filter, so the
 * client row keeps, per client: `typical_gap_days`, `last_attended_day` (the day of
 * `lastAttendedAt` in the CRM's time zone), `slipping_after` (generated: that day plus
 * max(2 x typicalGapDays, 14)) and `last_booked_at` (the latest `booked` start: an upcoming
 * booking exists exactly when it is >= now). All but the median are fixed until a booking
 * changes (the booking upsert recomputes them in its transaction). The median depends on
 * the moving 365-day window: it changes by itself only when the oldest session in the
 * window leaves it, or when a `completed` session dated in the future comes inside it. The
 * row keeps the first of those instants as `rhythm_expires_at`, and every request that
 * reads clients first recomputes the rows of the CRM whose rhythm has expired
 * (`refreshExpiredRhythm`, an index probe when none has). So the stored median is always the
 * median as of `now`, and "today" is compared at request time as a date literal.
 *
 * Slipping: not lapsed, typicalGapDays known, today after `slipping_after` (that is,
 * daysSinceAttended > max(2 x typicalGapDays, 14)), and no upcoming booked booking.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Attendance } from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { toNumber } from '../db/schema.js';
import { crmToday, daysBetween } from './alerts.js';
import type { CrmAccess } from './context.js';

type Executor = Db | Transaction<Database>;

export const RHYTHM = {
  /** The window of attended sessions the median looks at. */
  windowDays: 365,
  /** Fewer attended sessions in the window: no rhythm (null). */
  minSessions: 4,
  /** Slipping needs more days than max(2 x typicalGapDays, this). */
  floorDays: 14,
} as const;

/** The window as an exact duration (hours: no daylight-saving day arithmetic). */
const WINDOW = sql`make_interval(hours => ${RHYTHM.windowDays * 24})`;

/**
 * Recomputes the rhythm columns of the given clients from their bookings, as of `now`:
 * `last_booked_at`, `last_attended_day`, `typical_gap_days`, `rhythm_expires_at`. Runs in
 * the booking upsert's transaction (after the other aggregates), in the seed, and lazily.
 */
export async function recomputeRhythm(
  db: Executor,
  scope: { clientIds: string[] } | { crmId: string },
  now: Date,
): Promise<void> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const clientsIn =
    'clientIds' in scope
      ? sql`c.id = any(${scope.clientIds}::text[])`
      : sql`c.crm_id = ${scope.crmId}`;
  // One pass over the clients' bookings (by the (crm_id, client_id) index for a few clients):
  // the booked ones, and the attended ones from the start of the window on.
  const update = sql`
    with scoped as materialized (
      select b.client_id, b.starts_at, b.status,
        (b.starts_at at time zone k.time_zone)::date as day
      from clients c join crms k on k.id = c.crm_id
        join bookings b on b.crm_id = c.crm_id and b.client_id = c.id
      where ${clientsIn} and (b.status = 'booked'
        or (b.status = 'completed' and b.starts_at > ${at} - ${WINDOW}))
    ),
    gaps as (
      select client_id, day - lag(day) over (partition by client_id order by starts_at) as gap
      from scoped where status = 'completed' and starts_at <= ${at}
    ),
    rhythm as (
      select client_id, percentile_cont(0.5) within group (order by gap) as median
      from gaps where gap is not null
      group by client_id
      having count(*) >= ${RHYTHM.minSessions - 1}
    ),
    expiry as (
      select client_id, least(
          min(starts_at) filter (where starts_at <= ${at}) + ${WINDOW},
          min(starts_at) filter (where starts_at > ${at})
        ) as expires_at
      from scoped where status = 'completed'
      group by client_id
    ),
    booked as (
      select client_id, max(starts_at) as last_booked_at
      from scoped where status = 'booked'
      group by client_id
    )
    update clients t set
      last_booked_at = x.last_booked_at,
      last_attended_day = x.last_attended_day,
      typical_gap_days = x.median,
      rhythm_expires_at = x.expires_at
    from (
      select c.id, bk.last_booked_at, r.median, e.expires_at,
        (c.last_attended_at at time zone k.time_zone)::date as last_attended_day
      from clients c join crms k on k.id = c.crm_id
        left join rhythm r on r.client_id = c.id
        left join expiry e on e.client_id = c.id
        left join booked bk on bk.client_id = c.id
      where ${clientsIn}
    ) x
    where t.id = x.id
  `;
  if ('clientIds' in scope) {
    await update.execute(db);
    return;
  }
  // A whole CRM (the seed, the generator): hash joins, never nested loops. On PostgreSQL 15 a
  // 100,000-client seed's update once ran over 30 minutes reading temporary files (BufFileRead:
  // a spilled CTE scanned again and again), where the whole seed took 3 to 8 minutes before;
  // the same statement planned later, on fresher statistics, joined by hash.
  const bulk = async (trx: Executor) => {
    await sql`select set_config('enable_nestloop', 'off', true)`.execute(trx);
    await update.execute(trx);
    await sql`select set_config('enable_nestloop', 'on', true)`.execute(trx);
  };
  if (db.isTransaction) await bulk(db);
  else await db.transaction().execute(bulk);
}

/**
 * Brings the stored rhythm of a CRM's clients (or of one client) up to `now`: recomputes
 * the rows whose 365-day window has moved past a session since they were computed. Called
 * before any query that reads the rhythm; costs one index probe when nothing has expired.
 */
export async function refreshExpiredRhythm(
  db: Db,
  crm: Pick<CrmAccess, 'id'>,
  now: Date,
  clientId?: string,
): Promise<number> {
  const one = clientId === undefined ? sql`` : sql`and c.id = ${clientId}`;
  const expired = await sql<{ id: string }>`
    select c.id from clients c
    where c.crm_id = ${crm.id} and c.rhythm_expires_at <= ${now.toISOString()}::timestamptz ${one}
  `.execute(db);
  if (expired.rows.length === 0) return 0;
  const ids = expired.rows.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 5000) {
    await recomputeRhythm(db, { clientIds: ids.slice(i, i + 5000) }, now);
  }
  return ids.length;
}

/** The `count` calendar months ending with the month of `today` (`YYYY-MM`), oldest first. */
export function monthsEnding(today: string, count: number): string[] {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(year, month - i, 1));
    out.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return out;
}

/**
 * How overdue a client is: daysSinceAttended / typicalGapDays (null without a rhythm; a
 * typical gap of 0, several classes a day, is infinitely overdue once slipping).
 */
export const overdueSql = (day: string): RawBuilder<number | null> =>
  sql`(case when c.typical_gap_days > 0
      then (${day}::date - c.last_attended_day)::float8 / c.typical_gap_days
      when c.typical_gap_days = 0 then 'Infinity'::float8 end)`;

/** The rhythm fields of the client detail, from the stored row, as of `day`. */
export function rhythmOf(
  row: { typical_gap_days: number | string | null; last_attended_day: string | null },
  day: string,
): { typicalGapDays: number | null; daysSinceAttended: number | null } {
  return {
    typicalGapDays: row.typical_gap_days === null ? null : toNumber(row.typical_gap_days),
    daysSinceAttended:
      row.last_attended_day === null ? null : daysBetween(row.last_attended_day, day),
  };
}

/**
 * `GET .../attendance?months=N`: attended, no-show and cancelled sessions per calendar month
 * in the CRM's time zone, the last `months` months ending with the current one, oldest
 * first; sessions after `now` are not counted.
 */
export async function attendance(
  db: Db,
  crm: CrmAccess,
  clientId: string,
  months: number,
  now: Date,
): Promise<Attendance> {
  const list = monthsEnding(crmToday(crm, now), months);
  const result = await sql<{
    month: string;
    attended: number;
    no_show: number;
    cancelled: number;
  }>`
    select to_char(b.starts_at at time zone ${crm.timeZone}, 'YYYY-MM') as month,
      (count(*) filter (where b.status = 'completed'))::int as attended,
      (count(*) filter (where b.status = 'no_show'))::int as no_show,
      (count(*) filter (where b.status = 'cancelled'))::int as cancelled
    from bookings b
    where b.crm_id = ${crm.id} and b.client_id = ${clientId}
      and b.starts_at >= (${`${list[0]}-01`}::timestamp at time zone ${crm.timeZone})
      and b.starts_at <= ${now.toISOString()}::timestamptz
    group by 1
  `.execute(db);
  const byMonth = new Map(result.rows.map((r) => [r.month, r]));
  return {
    months: list.map((month) => {
      const r = byMonth.get(month);
      return {
        month,
        attended: toNumber(r?.attended),
        noShow: toNumber(r?.no_show),
        cancelled: toNumber(r?.cancelled),
      };
    }),
  };
}
