/**
 * Email the CRM sends through the platform (messages to clients, erasure notices to owners),
 * recorded in the outbox; erasure; merge requests.
 */
import { sql } from 'kysely';
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
    const client = (
      await sql<{ email: string | null; erased: boolean }>`
        select email, erased from clients where crm_id = ${crm.id} and id = ${clientId}
      `.execute(trx)
    ).rows[0];
    if (!client) throw notFound('The client');
    if (client.erased || !client.email) {
      throw invalid([], "This client's personal data was erased; there is no address to write to");
    }
    const id = newId('msg');
    const sentAt = now.toISOString();
    await sql`
      insert into messages (id, crm_id, client_id, sender_user_id, subject, sent_at)
      values (${id}, ${crm.id}, ${clientId}, ${sender.id}, ${message.subject}, ${sentAt}::timestamptz)
    `.execute(trx);
    await sql`
      insert into outbox (kind, to_address, reply_to, subject, body, sent_at)
      values ('message', ${client.email}, ${sender.email}, ${message.subject}, ${message.body},
        ${sentAt}::timestamptz)
    `.execute(trx);
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
    const affected = await sql<{ crm_id: string; owner_email: string; crm_name: string }>`
      select distinct c.crm_id, u.email as owner_email, k.name as crm_name
      from clients c join crms k on k.id = c.crm_id join users u on u.id = k.owner_user_id
      where c.email = ${email} and not c.erased
      order by c.crm_id
    `.execute(trx);
    for (const crm of affected.rows) {
      await sql`
        insert into outbox (kind, to_address, reply_to, subject, body, sent_at)
        values ('erasure_notice', ${crm.owner_email}, null,
          ${`A client's personal data was erased from ${crm.crm_name}`},
          ${
            `Following an erasure request, the personal data of the client ${email} has been ` +
            `removed from your client list "${crm.crm_name}". Their bookings remain, without ` +
            `personal details, so your totals and accounting are unchanged. Please also ` +
            `delete any copies of their personal data you keep outside MoveMentors.`
          },
          ${now.toISOString()}::timestamptz)
      `.execute(trx);
    }
    if (affected.rows.length > 0) {
      const ids = (
        await sql<{
          id: string;
        }>`select id from clients where email = ${email} and not erased`.execute(trx)
      ).rows.map((r) => r.id);
      await sql`delete from notes where client_id = any(${ids}::text[])`.execute(trx);
      await sql`delete from messages where client_id = any(${ids}::text[])`.execute(trx);
      await sql`delete from client_alerts where client_id = any(${ids}::text[])`.execute(trx);
      await sql`
        update bookings set client_name = ${ERASED_NAME}, client_phone = null, client_avatar_url = null
        where client_id = any(${ids}::text[])
      `.execute(trx);
      await sql`
        update clients set name = ${ERASED_NAME}, email = null, phone = null, avatar_url = null,
          tags = '{}', tags_lower = '{}', erased = true
        where id = any(${ids}::text[])
      `.execute(trx);
    }
    return { affectedCrms: affected.rows.map((r) => r.crm_id) };
  });
}

export async function outbox(db: Db): Promise<OutboxItem[]> {
  const result = await sql<{
    kind: OutboxItem['kind'];
    to_address: string;
    reply_to: string | null;
    subject: string;
    body: string;
    sent_at: Date | string;
  }>`select kind, to_address, reply_to, subject, body, sent_at from outbox order by seq`.execute(
    db,
  );
  return result.rows.map((r) => ({
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
  const found = await sql<{ n: number }>`
    select count(*)::int as n from clients where crm_id = ${crm.id} and id = any(${[...clientIds]}::text[])
  `.execute(db);
  if (Number(found.rows[0]?.n) !== 2) throw notFound('A client');
  const id = newId('mr');
  await sql`
    insert into merge_requests (id, crm_id, client_a, client_b, reason, requested_by, created_at)
    values (${id}, ${crm.id}, ${clientIds[0]}, ${clientIds[1]}, ${reason || null}, ${actor.id},
      ${now.toISOString()}::timestamptz)
  `.execute(db);
  return { id };
}
