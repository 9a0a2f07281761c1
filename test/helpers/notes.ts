/**
 * Browser-side helpers of the notes tests: the note as the server has it and a save by
 * another editor, on the real `fetch` whatever a test stubbed.
 */
import { expect } from '@open-wc/testing';
import type { Note } from '../../src/api/schemas.js';
import { apiBase, realFetch } from './browser.js';

export const notePath = (crm: string, clientId: string) =>
  `/v1/crms/${crm}/clients/${clientId}/note`;

/** The note as the server has it. */
export async function serverNote(token: string, crm: string, clientId: string): Promise<Note> {
  const res = await realFetch(`${apiBase}${notePath(crm, clientId)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status, 'GET note').to.equal(200);
  return (await res.json()) as Note;
}

/** Another editor saving through the API. */
export async function putNote(
  token: string,
  crm: string,
  clientId: string,
  text: string,
  version: number,
): Promise<Note> {
  const res = await realFetch(`${apiBase}${notePath(crm, clientId)}`, {
    method: 'PUT',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'if-match': `"${version}"`,
    },
    body: JSON.stringify({ text }),
  });
  expect(res.status, 'PUT note').to.equal(200);
  return (await res.json()) as Note;
}
