/**
 * Note history (SPEC section 8): every saved version of a note (text, version, when, who),
 * the last 100 per client. `putNote` records each version in its transaction; erasure
 * deletes the history with the note. Versions are numbered 1, 2, 3... per client, so "the
 * last 100" is every version above the newest minus 100.
 */
import { sql, type Transaction } from 'kysely';
import type { NoteVersion, NoteVersionSummary } from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { toIso, toNumber } from '../db/schema.js';
import { invalid, notFound } from '../http/problem.js';

/** Versions kept per client. */
export const NOTE_VERSIONS_KEPT = 100;

/** Records a saved version and forgets the ones beyond the last 100. In putNote's transaction. */
export async function recordNoteVersion(
  trx: Transaction<Database>,
  v: { crmId: string; clientId: string; version: number; text: string; at: Date; by: string },
): Promise<void> {
  await sql`
    insert into note_versions (crm_id, client_id, version, text, updated_at, updated_by)
    values (${v.crmId}, ${v.clientId}, ${v.version}, ${v.text}, ${v.at.toISOString()}::timestamptz,
      ${v.by})
    on conflict (crm_id, client_id, version) do update set text = excluded.text,
      updated_at = excluded.updated_at, updated_by = excluded.updated_by
  `.execute(trx);
  await sql`
    delete from note_versions
    where crm_id = ${v.crmId} and client_id = ${v.clientId}
      and version <= ${v.version - NOTE_VERSIONS_KEPT}
  `.execute(trx);
}

interface VersionRow {
  version: number;
  text?: string;
  updated_at: Date | string;
  user_id: string | null;
  user_name: string | null;
}

const summary = (r: VersionRow): NoteVersionSummary => ({
  version: toNumber(r.version),
  updatedAt: toIso(r.updated_at)!,
  updatedBy: r.user_id ? { id: r.user_id, name: r.user_name ?? '' } : null,
});

/** Kept versions, newest first, `limit` of them below `before` (a version number). */
export async function noteVersionPage(
  db: Db,
  crmId: string,
  clientId: string,
  before: number | undefined,
  limit: number,
): Promise<{ items: NoteVersionSummary[]; next: number | null }> {
  const keyset = before === undefined ? sql`` : sql`and v.version < ${before}`;
  const result = await sql<VersionRow>`
    select v.version, v.updated_at, u.id as user_id, u.name as user_name
    from note_versions v left join users u on u.id = v.updated_by
    where v.crm_id = ${crmId} and v.client_id = ${clientId} ${keyset}
    order by v.version desc
    limit ${limit + 1}
  `.execute(db);
  const items = result.rows.slice(0, limit).map(summary);
  const last = items.at(-1);
  return { items, next: result.rows.length > limit && last ? last.version : null };
}

/** One kept version with its text; 404 when it was never saved or is no longer kept. */
export async function noteVersion(
  db: Db,
  crmId: string,
  clientId: string,
  version: number,
): Promise<NoteVersion> {
  const result = await sql<VersionRow>`
    select v.version, v.text, v.updated_at, u.id as user_id, u.name as user_name
    from note_versions v left join users u on u.id = v.updated_by
    where v.crm_id = ${crmId} and v.client_id = ${clientId} and v.version = ${version}
  `.execute(db);
  const row = result.rows[0];
  if (!row) throw notFound('This version of the note');
  return { ...summary(row), text: row.text ?? '' };
}

/** The version a `note/versions` cursor continues below; a key of another shape is a 400. */
export function noteVersionCursorKey(key: readonly unknown[]): number {
  const [version] = key;
  if (key.length !== 1 || typeof version !== 'number' || !Number.isSafeInteger(version)) {
    throw invalid([{ path: 'cursor', message: 'Malformed cursor' }]);
  }
  return version;
}

/** The `{version}` of a path: a positive whole number, else a 400 naming it. */
export function noteVersionParam(raw: string): number {
  if (!/^[1-9]\d{0,8}$/.test(raw)) {
    throw invalid([{ path: 'version', message: 'Must be a version number (1, 2, 3...)' }]);
  }
  return Number(raw);
}
