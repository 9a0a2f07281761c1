/**
 * Client alerts (SPEC section 7): short pinned flags on a client ("Low-back issue: no deep
 * forward folds") with an optional last day. An alert is live through its `until` day in the
 * CRM's time zone; after that it is neither returned nor counted, as if removed. At most
 * `LIMITS.alertsMaxLive` live alerts per client. Same privacy as notes: a mentor CRM's alerts
 * are its owner's, a studio's are shared by its members (membership decides who gets here).
 */
import { sql, type Transaction } from 'kysely';
import { LIMITS, type ClientAlert } from '../../../src/api/schemas.js';
import type { AlertCreate } from '../../../src/api/requests.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { toIso } from '../db/schema.js';
import { invalid, notFound } from '../http/problem.js';
import type { Actor, CrmAccess } from './context.js';
import { newId } from './ids.js';

type Executor = Db | Transaction<Database>;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date (`YYYY-MM-DD`) of `at` in `timeZone`. */
export function localDate(timeZone: string, at: Date | string): string {
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(timeZone, format);
  }
  return format.format(typeof at === 'string' ? new Date(at) : at);
}

/** Whole days from date `a` to date `b` (both `YYYY-MM-DD`). */
export const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

/** `a` (client_alerts) is live on `today` (the CRM's date). */
export const liveAlert = (today: string) =>
  sql<boolean>`(a.until is null or a.until >= ${today}::date)`;

interface AlertRow {
  id: string;
  client_id: string;
  text: string;
  until: string | null;
  created_at: Date | string;
  user_id: string;
  user_name: string;
}

const toAlert = (r: AlertRow): ClientAlert => ({
  id: r.id,
  text: r.text,
  until: r.until,
  createdBy: { id: r.user_id, name: r.user_name },
  createdAt: toIso(r.created_at)!,
});

/** The live alerts of these clients of a CRM, oldest first, by client id. */
export async function liveAlerts(
  db: Executor,
  crmId: string,
  clientIds: readonly string[],
  today: string,
): Promise<Map<string, ClientAlert[]>> {
  const byClient = new Map<string, ClientAlert[]>();
  if (clientIds.length === 0) return byClient;
  const result = await sql<AlertRow>`
    select a.id, a.client_id, a.text, a.until::text as until, a.created_at,
      u.id as user_id, u.name as user_name
    from client_alerts a join users u on u.id = a.created_by
    where a.crm_id = ${crmId} and a.client_id = any(${[...new Set(clientIds)]}::text[])
      and ${liveAlert(today)}
    order by a.client_id, a.seq
  `.execute(db);
  for (const row of result.rows) {
    const list = byClient.get(row.client_id) ?? [];
    list.push(toAlert(row));
    byClient.set(row.client_id, list);
  }
  return byClient;
}

/** Today in the CRM's time zone. */
export const crmToday = (crm: CrmAccess, now: Date) => localDate(crm.timeZone, now);

export async function clientAlerts(db: Db, crm: CrmAccess, clientId: string, now: Date) {
  return (await liveAlerts(db, crm.id, [clientId], crmToday(crm, now))).get(clientId) ?? [];
}

/**
 * Pins an alert. The client row is locked, so two concurrent additions cannot both be the
 * fifth; an erased client takes none (nothing personal is kept about them).
 */
export async function addAlert(
  db: Db,
  crm: CrmAccess,
  clientId: string,
  actor: Actor,
  body: AlertCreate,
  now: Date,
): Promise<ClientAlert> {
  const today = crmToday(crm, now);
  const until = body.until ?? null;
  if (until !== null && until < today) {
    throw invalid([
      { path: 'until', message: `Must be today (${today} in the CRM's time zone) or later` },
    ]);
  }
  return db.transaction().execute(async (trx) => {
    const client = await sql<{ erased: boolean }>`
      select erased from clients where crm_id = ${crm.id} and id = ${clientId} for update
    `.execute(trx);
    if (!client.rows[0]) throw notFound('The client');
    if (client.rows[0].erased) {
      throw invalid([], "This client's personal data was erased; alerts cannot be added");
    }
    const live = await sql<{ n: number }>`
      select count(*)::int as n from client_alerts a
      where a.crm_id = ${crm.id} and a.client_id = ${clientId} and ${liveAlert(today)}
    `.execute(trx);
    if (Number(live.rows[0]?.n) >= LIMITS.alertsMaxLive) {
      throw invalid(
        [{ path: 'text', message: `At most ${LIMITS.alertsMaxLive} live alerts per client` }],
        `This client already has ${LIMITS.alertsMaxLive} alerts, the most a client can have; ` +
          'remove one (or let one end) before adding another',
      );
    }
    const id = newId('alr');
    await sql`
      insert into client_alerts (id, crm_id, client_id, text, until, created_by, created_at)
      values (${id}, ${crm.id}, ${clientId}, ${body.text}, ${until}::date, ${actor.id},
        ${now.toISOString()}::timestamptz)
    `.execute(trx);
    return {
      id,
      text: body.text,
      until,
      createdBy: { id: actor.id, name: actor.name },
      createdAt: now.toISOString(),
    };
  });
}

/** Removes one alert of this client; 404 when there is none by that id here. */
export async function deleteAlert(db: Db, crm: CrmAccess, clientId: string, alertId: string) {
  const result = await sql<{ id: string }>`
    delete from client_alerts where crm_id = ${crm.id} and client_id = ${clientId} and id = ${alertId}
    returning id
  `.execute(db);
  if (result.rows.length === 0) throw notFound('The alert');
}
