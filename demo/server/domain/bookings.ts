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
    const crm = await trx
      .selectFrom('crms')
      .select('currency')
      .where('id', '=', b.crmId)
      .executeTakeFirst();
    if (!crm) throw invalid([{ path: 'crmId', message: 'No such CRM' }]);
    const member = await trx
      .selectFrom('memberships')
      .select('role')
      .where('crm_id', '=', b.crmId)
      .where('user_id', '=', b.teacherUserId)
      .executeTakeFirst();
    if (!member) {
      throw invalid([
        { path: 'teacherUserId', message: 'The teacher is not a member of this CRM' },
      ]);
    }
    if (b.payment.currency !== crm.currency) {
      throw invalid([
        { path: 'payment.currency', message: `Must be the CRM's currency (${crm.currency})` },
      ]);
    }

    const previous = await trx
      .selectFrom('bookings as b')
      .innerJoin('clients as c', 'c.id', 'b.client_id')
      .select(['b.client_id', 'b.crm_id', 'c.erased'])
      .where('b.id', '=', bookingId)
      .forUpdate('b')
      .executeTakeFirst();

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
      const client = await trx
        .insertInto('clients')
        .values({
          id: newId('cli'),
          crm_id: b.crmId,
          email: b.client.email,
          name: profile.name,
          phone: profile.phone,
          avatar_url: profile.avatarUrl,
        })
        .onConflict((oc) =>
          oc
            .columns(['crm_id', 'email'])
            .doUpdateSet((eb) => ({ email: eb.ref('excluded.email') })),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      clientId = client.id;
    }

    await trx
      .insertInto('bookings')
      .values({
        id: bookingId,
        crm_id: b.crmId,
        client_id: clientId,
        teacher_user_id: b.teacherUserId,
        class_title: b.classTitle,
        // Stored to the millisecond, as the API gives times back (and cursors carry them).
        starts_at: sql<string>`date_trunc('milliseconds', ${b.startsAt}::timestamptz)`,
        location: b.location,
        status: b.status,
        payment_status: b.payment.status,
        amount_minor: b.payment.amountMinor,
        refunded_minor: b.payment.refundedMinor,
        currency: b.payment.currency,
        client_name: profile.name,
        client_phone: profile.phone,
        client_avatar_url: profile.avatarUrl,
        updated_at: now.toISOString(),
        session_id: b.sessionId ?? null,
      })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          crm_id: eb.ref('excluded.crm_id'),
          client_id: eb.ref('excluded.client_id'),
          teacher_user_id: eb.ref('excluded.teacher_user_id'),
          class_title: eb.ref('excluded.class_title'),
          starts_at: eb.ref('excluded.starts_at'),
          location: eb.ref('excluded.location'),
          status: eb.ref('excluded.status'),
          payment_status: eb.ref('excluded.payment_status'),
          amount_minor: eb.ref('excluded.amount_minor'),
          refunded_minor: eb.ref('excluded.refunded_minor'),
          currency: eb.ref('excluded.currency'),
          client_name: eb.ref('excluded.client_name'),
          client_phone: eb.ref('excluded.client_phone'),
          client_avatar_url: eb.ref('excluded.client_avatar_url'),
          updated_at: eb.ref('excluded.updated_at'),
          session_id: eb.ref('excluded.session_id'),
          // A replaced booking is the latest written: it wins the client's profile on ties.
          seq: sql<number>`nextval(pg_get_serial_sequence('bookings', 'seq'))`,
        })),
      )
      .execute();

    const affected = [clientId];
    if (previous && previous.client_id !== clientId) affected.push(previous.client_id);
    await recomputeClients(trx, { clientIds: affected }, now);
    return { id: bookingId, clientId };
  });
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
  const dir = order === 'desc' ? 'desc' : 'asc';
  let query = db
    .selectFrom('bookings as b')
    .innerJoin('users as u', 'u.id', 'b.teacher_user_id')
    .select([
      'b.id',
      'b.class_title',
      'b.starts_at',
      'b.status',
      'b.payment_status',
      'b.amount_minor',
      'b.refunded_minor',
      'b.currency',
      'b.location',
      'u.id as teacher_id',
      'u.name as teacher_name',
    ])
    .where('b.crm_id', '=', crmId)
    .where('b.client_id', '=', clientId);
  if (after) {
    // Raw: the keyset is a row comparison, with the cursor's values cast to the columns' types.
    const beyond = dir === 'desc' ? sql`<` : sql`>`;
    query = query.where(
      sql<boolean>`(b.starts_at, b.id) ${beyond} (${after[0]}::timestamptz, ${after[1]}::text)`,
    );
  }
  const found = await query
    .orderBy('b.starts_at', dir)
    .orderBy('b.id', dir)
    .limit(limit + 1)
    .execute();
  const rows = found.slice(0, limit);
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
  return { items, next: found.length > limit && last ? [last.startsAt, last.id] : null };
}
