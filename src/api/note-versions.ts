/**
 * Note history calls (SPEC section 8). Apart from `client.ts` so that they travel with the
 * notes' history view, a lazy chunk of the standalone bundle.
 */
import type { CallOptions, CrmClient } from './client.js';
import { NoteVersion, NoteVersionPage } from './schemas.js';

const notePath = (crmId: string, clientId: string) =>
  `/v1/crms/${encodeURIComponent(crmId)}/clients/${encodeURIComponent(clientId)}/note`;

/** The kept versions, newest first, without their text. */
export function listNoteVersions(
  client: CrmClient,
  crmId: string,
  clientId: string,
  page: { limit?: number; cursor?: string } = {},
  o?: CallOptions,
): Promise<NoteVersionPage> {
  return client.request('get', `${notePath(crmId, clientId)}/versions`, NoteVersionPage, o, {
    query: page,
  });
}

/** One kept version with its text; 404 `not_found` when it is no longer kept. */
export function getNoteVersion(
  client: CrmClient,
  crmId: string,
  clientId: string,
  version: number,
  o?: CallOptions,
): Promise<NoteVersion> {
  return client.request('get', `${notePath(crmId, clientId)}/versions/${version}`, NoteVersion, o);
}
