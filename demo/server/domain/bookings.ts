/**
 * Bookings: the platform's idempotent upsert (which creates or updates the client and
 * recomputes its aggregates in the same transaction) and a client's booking history.
 */
import { sql } from 'kysely';
import type { Booking, PlatformBookingUpsert } from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import { toIso, toNumber } from '../db/schema.js';
import { invalid } from '../http/problem.js';
import { validKey } from './clients.js';
import { newId } from './ids.js';
import { recomputeClients } from './rules.js';

export const ERASED_NAME = 'Deleted client';

/**
 * `PUT /v1/platform/bookings/{id}`: the whole booking. The same id again replaces the
 * booking (it never counts twice); a changed email moves it to that client and both clients
 * are recomputed. A booking that belongs to an erased client stays with it, and its
 * personal details are not stored again.
 */
export async function upsertBooking(
  db: Db,
  bookingId: string,
  b: PlatformBookingUpsert,
  now: Date,
): Promise<{ id: string; clientId: string }> {
  return db.transaction().execute(async (trx) => {
    const crm = (
      await sql<{ currency: string }>`select currency from crms where id = ${b.crmId}`.execute(trx)
    ).rows[0];
    if (!crm) throw invalid([{ path: 'crmId', message: 'No such CRM' }]);
    const member = await sql`
      select 1 from memberships where crm_id = ${b.crmId} and user_id = ${b.teacherUserId}
    `.execute(trx);
    if (member.rows.length === 0) {
      throw invalid([
        { path: 'teacherUserId', message: 'The teacher is not a member of this CRM' },
      ]);
    }
    if (b.payment.currency !== crm.currency) {
      throw invalid([
        { path: 'payment.currency', message: `Must be the CRM's currency (${crm.currency})` },
      ]);
    }

    const previous = (
      await sql<{ client_id: string; crm_id: string; erased: boolean }>`
        select b.client_id, b.crm_id, c.erased from bookings b join clients c on c.id = b.client_id
        where b.id = ${bookingId} for update of b
      `.execute(trx)
    ).rows[0];

    let clientId: string;
    let profile = {
      name: b.client.name,
      phone: b.client.phone ?? null,
      avatarUrl: b.client.avatarUrl ?? null,
    };
    if (previous && previous.erased && previous.crm_id === b.crmId) {
      clientId = previous.client_id;
      profile = { name: ERASED_NAME, phone: null, avatarUrl: null };
    } else {
      // Creates the client on its first booking; on conflict, locks the row so concurrent
      // upserts for one client recompute one after the other.
      const client = await sql<{ id: string }>`
        insert into clients (id, crm_id, email, name, phone, avatar_url)
        values (${newId('cli')}, ${b.crmId}, ${b.client.email}, ${profile.name},
          ${profile.phone}, ${profile.avatarUrl})
        on conflict (crm_id, email) do update set email = excluded.email
        returning id
      `.execute(trx);
      clientId = client.rows[0]!.id;
    }

    await sql`
      insert into bookings (id, crm_id, client_id, teacher_user_id, class_title, starts_at,
        location, status, payment_status, amount_minor, refunded_minor, currency, client_name,
        client_phone, client_avatar_url, updated_at, session_id)
      values (${bookingId}, ${b.crmId}, ${clientId}, ${b.teacherUserId}, ${b.classTitle},
        date_trunc('milliseconds', ${b.startsAt}::timestamptz), ${b.location}, ${b.status},
        ${b.payment.status}, ${b.payment.amountMinor}, ${b.payment.refundedMinor},
        ${b.payment.currency}, ${profile.name}, ${profile.phone}, ${profile.avatarUrl},
        ${now.toISOString()}::timestamptz, ${b.sessionId ?? null})
      on conflict (id) do update set
        crm_id = excluded.crm_id, client_id = excluded.client_id,
        teacher_user_id = excluded.teacher_user_id, class_title = excluded.class_title,
        starts_at = excluded.starts_at, location = excluded.location, status = excluded.status,
        payment_status = excluded.payment_status, amount_minor = excluded.amount_minor,
        refunded_minor = excluded.refunded_minor, currency = excluded.currency,
        client_name = excluded.client_name, client_phone = excluded.client_phone,
        client_avatar_url = excluded.client_avatar_url, updated_at = excluded.updated_at,
        session_id = excluded.session_id,
        seq = nextval(pg_get_serial_sequence('bookings', 'seq'))
    `.execute(trx);

    const affected = [clientId];
    if (previous && previous.client_id !== clientId) affected.push(previous.client_id);
    await recomputeClients(trx, { clientIds: affected });
    return { id: bookingId, clientId };
  });
}

interface BookingRow {
  id: string;
  class_title: string;
  starts_at: Date | string;
  status: Booking['status'];
  payment_status: Booking['payment']['status'];
  amount_minor: number | string;
  refunded_minor: number | string;
  currency: string;
  location: string;
  teacher_id: string;
  teacher_name: string;
}

/** The `[startsAt, id]` a booking-history cursor continues after; a 400 when malformed. */
export function bookingCursorKey(key: readonly unknown[]): [string, string] {
  const [startsAt, id] = key;
  if (key.length !== 2 || !validKey('timestamptz', startsAt) || typeof id !== 'string') {
    throw invalid([{ path: 'cursor', message: 'Malformed cursor' }]);
  }
  return [String(startsAt), id];
}

/**
 * A client's bookings, keyset-paged on (startsAt, id): oldest first, or newest first with
 * `order` `desc` (the card opens on the most recent page and pages back in time).
 */
export async function bookingPage(
  db: Db,
  crmId: string,
  clientId: string,
  after: readonly [string, string] | undefined,
  limit: number,
  order: 'asc' | 'desc' = 'asc',
): Promise<{ items: Booking[]; next: [string, string] | null }> {
  const desc = order === 'desc';
  const beyond = desc ? sql`<` : sql`>`;
  const keyset = after
    ? sql`and (b.starts_at, b.id) ${beyond} (${after[0]}::timestamptz, ${after[1]}::text)`
    : sql``;
  const orderBy = desc ? sql`b.starts_at desc, b.id desc` : sql`b.starts_at, b.id`;
  const result = await sql<BookingRow>`
    select b.id, b.class_title, b.starts_at, b.status, b.payment_status, b.amount_minor,
      b.refunded_minor, b.currency, b.location, u.id as teacher_id, u.name as teacher_name
    from bookings b join users u on u.id = b.teacher_user_id
    where b.crm_id = ${crmId} and b.client_id = ${clientId} ${keyset}
    order by ${orderBy}
    limit ${limit + 1}
  `.execute(db);
  const rows = result.rows.slice(0, limit);
  const items = rows.map((r): Booking => ({
    id: r.id,
    classTitle: r.class_title,
    startsAt: toIso(r.starts_at)!,
    status: r.status,
    payment: {
      status: r.payment_status,
      amount: { amountMinor: toNumber(r.amount_minor), currency: r.currency },
      refunded: { amountMinor: toNumber(r.refunded_minor), currency: r.currency },
    },
    location: r.location,
    teacher: { id: r.teacher_id, name: r.teacher_name },
  }));
  const last = items.at(-1);
  return { items, next: result.rows.length > limit && last ? [last.startsAt, last.id] : null };
}
