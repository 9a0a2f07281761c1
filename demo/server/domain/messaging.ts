/**
 * Email the CRM sends through the platform (messages to clients, erasure notices to owners),
 * recorded in the outbox; erasure; merge requests.
 */
import type { MessageCreate, OutboxItem } from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import { toIso } from '../db/schema.js';
import { invalid, notFound } from '../http/problem.js';
import type { Actor, CrmAccess } from './context.js';
import { ERASED_NAME } from './bookings.js';
import { newId } from './ids.js';

/** Sends a message to a client: recorded for the card, emailed with Reply-To the sender. */
export async function sendMessage(
  db: Db,
  crm: CrmAccess,
  clientId: string,
  sender: Actor,
  message: MessageCreate,
  now: Date,
) {
  return db.transaction().execute(async (trx) => {
    const client = await trx
      .selectFrom('clients')
      .select(['email', 'erased'])
      .where('crm_id', '=', crm.id)
      .where('id', '=', clientId)
      .executeTakeFirst();
    if (!client) throw notFound('The client');
    if (client.erased || !client.email) {
      throw invalid([], "This client's personal data was erased; there is no address to write to");
    }
    const id = newId('msg');
    const sentAt = now.toISOString();
    await trx
      .insertInto('messages')
      .values({
        id,
        crm_id: crm.id,
        client_id: clientId,
        sender_user_id: sender.id,
        subject: message.subject,
        sent_at: sentAt,
      })
      .execute();
    await trx
      .insertInto('outbox')
      .values({
        kind: 'message',
        to_address: client.email,
        reply_to: sender.email,
        subject: message.subject,
        body: message.body,
        sent_at: sentAt,
      })
      .execute();
    return { id, sentAt };
  });
}

/**
 * GDPR erasure of one email: first a notice to the owner of every affected CRM, then the
 * client's personal data goes in every CRM (name, email, phone, avatar, notes, tags,
 * alerts, messages, and the details kept on its bookings). Bookings, dates, amounts, teachers and
 * the totals stay, so the accounting still adds up. One transaction.
 */
export async function eraseEmail(db: Db, email: string, now: Date) {
  return db.transaction().execute(async (trx) => {
    const affected = await trx
      .selectFrom('clients as c')
      .innerJoin('crms as k', 'k.id', 'c.crm_id')
      .innerJoin('users as u', 'u.id', 'k.owner_user_id')
      .select(['c.crm_id', 'u.email as owner_email', 'k.name as crm_name'])
      .distinct()
      .where('c.email', '=', email)
      .where('c.erased', '=', false)
      .orderBy('c.crm_id')
      .execute();
    for (const crm of affected) {
      await trx
        .insertInto('outbox')
        .values({
          kind: 'erasure_notice',
          to_address: crm.owner_email,
          reply_to: null,
          subject: `A client's personal data was erased from ${crm.crm_name}`,
          body:
            `Following an erasure request, the personal data of the client ${email} has been ` +
            `removed from your client list "${crm.crm_name}". Their bookings remain, without ` +
            `personal details, so your totals and accounting are unchanged. Please also ` +
            `delete any copies of their personal data you keep outside MoveMentors.`,
          sent_at: now.toISOString(),
        })
        .execute();
    }
    const ids = (
      await trx
        .selectFrom('clients')
        .select('id')
        .where('email', '=', email)
        .where('erased', '=', false)
        .execute()
    ).map((r) => r.id);
    if (ids.length > 0) {
      await trx.deleteFrom('notes').where('client_id', 'in', ids).execute();
      await trx.deleteFrom('note_versions').where('client_id', 'in', ids).execute();
      await trx.deleteFrom('messages').where('client_id', 'in', ids).execute();
      await trx.deleteFrom('client_alerts').where('client_id', 'in', ids).execute();
      await trx
        .updateTable('bookings')
        .set({ client_name: ERASED_NAME, client_phone: null, client_avatar_url: null })
        .where('client_id', 'in', ids)
        .execute();
      await trx
        .updateTable('clients')
        .set({
          name: ERASED_NAME,
          email: null,
          phone: null,
          avatar_url: null,
          tags: [],
          tags_lower: [],
          erased: true,
        })
        .where('id', 'in', ids)
        .execute();
    }
    return { affectedCrms: affected.map((r) => r.crm_id) };
  });
}

export async function outbox(db: Db): Promise<OutboxItem[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['kind', 'to_address', 'reply_to', 'subject', 'body', 'sent_at'])
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    to: r.to_address,
    replyTo: r.reply_to,
    subject: r.subject,
    body: r.body,
    sentAt: toIso(r.sent_at)!,
  }));
}

/** Records a merge request for support; both clients must be in this CRM. No data changes. */
export async function requestMerge(
  db: Db,
  crm: CrmAccess,
  actor: Actor,
  clientIds: readonly [string, string],
  reason: string | undefined,
  now: Date,
) {
  const found = await db
    .selectFrom('clients')
    .select('id')
    .where('crm_id', '=', crm.id)
    .where('id', 'in', [...clientIds])
    .execute();
  if (found.length !== 2) throw notFound('A client');
  const id = newId('mr');
  await db
    .insertInto('merge_requests')
    .values({
      id,
      crm_id: crm.id,
      client_a: clientIds[0],
      client_b: clientIds[1],
      reason: reason || null,
      requested_by: actor.id,
      created_at: now.toISOString(),
    })
    .execute();
  return { id };
}
