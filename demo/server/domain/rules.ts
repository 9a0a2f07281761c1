/**
 * The CRM's rules (SPEC section 2), in one place. They run in SQL: aggregates are stored per
 * client and recomputed from the client's bookings whenever a booking changes; `status`,
 * `growing` and `slipping` depend on the clock and are computed per request against `now`, so filters,
 * sorting and pagination all see the same values.
 */
import { sql, type RawBuilder } from 'kysely';
import { LIMITS } from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { recomputeRhythm } from './insight.js';

/** Bookings that count toward totalBookings, firstBookingAt and lastBookingAt. */
const COUNTED = sql`b.status <> 'cancelled'`;

/**
 * Bookings whose money counts toward lifetimeSpend: the class happened or the booking was
 * closed (completed, no-show, cancelled) and money was taken (paid, possibly refunded since).
 * Upcoming (`booked`) bookings do not count yet; kept no-show or cancellation money does.
 */
const IN_SPEND = sql`b.status in ('completed', 'no_show', 'cancelled')
  and b.payment_status in ('paid', 'partially_refunded', 'refunded')`;

/** A booking's contribution to lifetimeSpend: what was paid minus what was refunded. */
const SPEND = sql`b.amount_minor - b.refunded_minor`;

/** `regular` from this many bookings on. */
export const REGULAR_FROM = 5;
/** Segment `growing`: between these totals (inclusive), when not lapsed. */
export const GROWING = { min: 3, max: 5 } as const;

/** `now - 90 days`: a client whose last booking is earlier than this is lapsed. */
const lapsedBefore = (now: Date) =>
  sql`(${now.toISOString()}::timestamptz - make_interval(days => ${LIMITS.lapsedAfterDays}))`;

/** `lapsed` if no booking or the last one is older than 90 days. Alias of clients: `c`. */
export const isLapsed = (now: Date) =>
  sql<boolean>`(c.last_booking_at is null or c.last_booking_at < ${lapsedBefore(now)})`;

/** Status, exactly one: lapsed, else regular at 5+ bookings, else active. */
export const statusSql = (now: Date): RawBuilder<'regular' | 'active' | 'lapsed'> =>
  sql`(case when ${isLapsed(now)} then 'lapsed'
    when c.total_bookings >= ${REGULAR_FROM} then 'regular'
    else 'active' end)`;

/** Segment growing: not lapsed and 3 <= totalBookings <= 5. */
export const growingSql = (now: Date) =>
  sql<boolean>`(not ${isLapsed(now)} and c.total_bookings between ${GROWING.min} and ${GROWING.max})`;

/**
 * Segment slipping (SPEC section 8): not lapsed, typicalGapDays known, daysSinceAttended >
 * max(2 x typicalGapDays, 14) (today is after `slipping_after`), no upcoming booked booking.
 * `day` is today in the CRM's time zone; insight.ts keeps the stored rhythm exact. Served by
 * the partial index `clients_slipping (crm_id, last_booking_at, slipping_after)`.
 */
export const slippingSql = (now: Date, day: string) =>
  sql<boolean>`(c.slipping_after < ${day}::date
    and not ${isLapsed(now)}
    and (c.last_booked_at is null or c.last_booked_at < ${now.toISOString()}::timestamptz))`;

/** averageSpend = lifetimeSpend / bookings counted in it, 0 if none (rounded to minor units). */
export const averageSpend = (lifetimeSpend: number, spendBookings: number) =>
  spendBookings > 0 ? Math.round(lifetimeSpend / spendBookings) : 0;

type Executor = Db | Transaction<Database>;

/**
 * Recomputes the stored aggregates of the given clients (or of every client of a CRM) from
 * their bookings (the rhythm as of `now`, see insight.ts), and their name, phone and avatar
 * from their most recent booking (by
 * start time; an erased client keeps "Deleted client"). Run in the booking upsert's
 * transaction, and by the seed after its bulk insert.
 */
export async function recomputeClients(
  db: Executor,
  scope: { clientIds: string[] } | { crmId: string },
  now: Date,
): Promise<void> {
  const where =
    'clientIds' in scope
      ? sql`b.client_id = any(${scope.clientIds}::text[])`
      : sql`b.crm_id = ${scope.crmId}`;
  // Raw: aggregates with filter clauses, and updates from derived tables.
  const clientWhere =
    'clientIds' in scope
      ? sql`c.id = any(${scope.clientIds}::text[])`
      : sql`c.crm_id = ${scope.crmId}`;
  await sql`
    update clients t set
      total_bookings = x.total_bookings,
      lifetime_spend = x.lifetime_spend,
      spend_bookings = x.spend_bookings,
      first_booking_at = x.first_booking_at,
      last_booking_at = x.last_booking_at,
      last_attended_at = x.last_attended_at,
      teacher_ids = x.teacher_ids
    from (
      select c.id,
        coalesce(a.total_bookings, 0) as total_bookings,
        coalesce(a.lifetime_spend, 0) as lifetime_spend,
        coalesce(a.spend_bookings, 0) as spend_bookings,
        a.first_booking_at, a.last_booking_at, a.last_attended_at,
        coalesce(a.teacher_ids, '{}') as teacher_ids
      from clients c left join (
        select b.client_id,
          count(*) filter (where ${COUNTED})::int as total_bookings,
          coalesce(sum(${SPEND}) filter (where ${IN_SPEND}), 0) as lifetime_spend,
          count(*) filter (where ${IN_SPEND})::int as spend_bookings,
          min(b.starts_at) filter (where ${COUNTED}) as first_booking_at,
          max(b.starts_at) filter (where ${COUNTED}) as last_booking_at,
          max(b.starts_at) filter (where b.status = 'completed') as last_attended_at,
          array_agg(distinct b.teacher_user_id order by b.teacher_user_id) as teacher_ids
        from bookings b where ${where}
        group by b.client_id
      ) a on a.client_id = c.id
      where ${clientWhere}
    ) x
    where t.id = x.id
  `.execute(db);
  // Only when they change: a row version fewer per upsert, and its entries in every index
  // (the trigram ones included).
  await sql`
    update clients c set name = p.client_name, phone = p.client_phone, avatar_url = p.client_avatar_url
    from (
      select distinct on (b.client_id) b.client_id, b.client_name, b.client_phone, b.client_avatar_url
      from bookings b where ${where}
      order by b.client_id, b.starts_at desc, b.seq desc
    ) p
    where c.id = p.client_id and not c.erased
      and (c.name, c.phone, c.avatar_url) is distinct from (p.client_name, p.client_phone, p.client_avatar_url)
  `.execute(db);
  await recomputeRhythm(db, scope, now);
}
