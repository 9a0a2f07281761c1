/**
 * Private notes: one text per (CRM, client), optimistic concurrency with a version number.
 * A write names the version it edits (`If-Match: "<version>"`); a stale version is a 412
 * with the current note, so no edit is ever silently lost.
 */
import type { Transaction } from 'kysely';
import type { Note } from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import { toIso, toNumber, type Database } from '../db/schema.js';
import { ApiError, invalid, notFound } from '../http/problem.js';
import { recordNoteVersion } from './note-history.js';

const EMPTY: Note = { text: '', version: 0, updatedAt: null, updatedBy: null };

async function readNote(db: Db | Transaction<Database>, crmId: string, clientId: string) {
  const r = await db
    .selectFrom('notes as n')
    .leftJoin('users as u', 'u.id', 'n.updated_by')
    .select(['n.text', 'n.version', 'n.updated_at', 'u.id as user_id', 'u.name as user_name'])
    .where('n.crm_id', '=', crmId)
    .where('n.client_id', '=', clientId)
    .executeTakeFirst();
  if (!r) return EMPTY;
  return {
    text: r.text,
    version: toNumber(r.version),
    updatedAt: toIso(r.updated_at),
    updatedBy: r.user_id ? { id: r.user_id, name: r.user_name ?? '' } : null,
  } satisfies Note;
}

export const getNote = (db: Db, crmId: string, clientId: string) => readNote(db, crmId, clientId);

/** `If-Match` → the version it names, or '*' (any). */
export function parseIfMatch(header: string | undefined): number | '*' {
  if (header === undefined) {
    throw new ApiError(
      428,
      'precondition_required',
      'Send If-Match: "<version>" with the version of the note you edited ("0" for a new note)',
    );
  }
  const value = header.trim();
  if (value === '*') return '*';
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(value);
  if (!match) throw invalid([{ path: 'If-Match', message: 'Must be "<version>", e.g. "3"' }]);
  return Number(match[1]);
}

export async function putNote(
  db: Db,
  crmId: string,
  clientId: string,
  text: string,
  expected: number | '*',
  userId: string,
  now: Date,
): Promise<Note> {
  return db.transaction().execute(async (trx) => {
    // Lock the client: concurrent writes of one note run one after the other.
    const client = await trx
      .selectFrom('clients')
      .select('erased')
      .where('crm_id', '=', crmId)
      .where('id', '=', clientId)
      .forUpdate()
      .executeTakeFirst();
    if (!client) throw notFound('The client');
    if (client.erased) {
      throw invalid([], "This client's personal data was erased; notes cannot be added");
    }
    const current = await readNote(trx, crmId, clientId);
    if (expected !== '*' && expected !== current.version) {
      throw new ApiError(
        412,
        'version_conflict',
        `The note changed since version ${expected}; it is now at version ${current.version}`,
        { current },
      );
    }
    await trx
      .insertInto('notes')
      .values({
        client_id: clientId,
        crm_id: crmId,
        text,
        version: current.version + 1,
        updated_at: now.toISOString(),
        updated_by: userId,
      })
      .onConflict((oc) =>
        oc.column('client_id').doUpdateSet((eb) => ({
          text: eb.ref('excluded.text'),
          version: eb.ref('excluded.version'),
          updated_at: eb.ref('excluded.updated_at'),
          updated_by: eb.ref('excluded.updated_by'),
        })),
      )
      .execute();
    await recordNoteVersion(trx, {
      crmId,
      clientId,
      version: current.version + 1,
      text,
      at: now,
      by: userId,
    });
    return readNote(trx, crmId, clientId);
  });
}
