/**
 * Every `mm-*` event: its detail type and its entry in the global event maps, so that
 * `el.addEventListener('mm-client-select', (e) => e.detail.clientId)` is typed.
 * All bubble and are composed (they cross shadow roots).
 */
import type { CrmApiError } from './api/errors.js';

export interface MmClientSelectDetail {
  clientId: string;
}
export interface MmOpenNotesDetail {
  clientId: string;
}
export interface MmNoteSavedDetail {
  clientId: string;
  version: number;
}
export interface MmNoteConflictDetail {
  clientId: string;
  /** The version the user's edit started from. */
  baseVersion: number;
  /** The version on the server now. */
  serverVersion: number;
}
export interface MmTagsChangedDetail {
  clientId: string;
  tags: string[];
}
export interface MmMessageSentDetail {
  clientId: string;
}
export interface MmAuthRequiredDetail {
  /** The API base whose token was refused. */
  apiBase: string;
}
export interface MmSignedInDetail {
  /** The user who signed in. */
  userId: string;
}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MmSignedOutDetail {}
export interface MmErrorDetail {
  code: string;
  status: number;
  /** Human-readable explanation. */
  detail?: string;
  /** The underlying error, for logging. */
  error?: CrmApiError;
}

export interface MmEventMap {
  'mm-client-select': CustomEvent<MmClientSelectDetail>;
  'mm-open-notes': CustomEvent<MmOpenNotesDetail>;
  'mm-note-saved': CustomEvent<MmNoteSavedDetail>;
  'mm-note-conflict': CustomEvent<MmNoteConflictDetail>;
  'mm-tags-changed': CustomEvent<MmTagsChangedDetail>;
  'mm-message-sent': CustomEvent<MmMessageSentDetail>;
  'mm-auth-required': CustomEvent<MmAuthRequiredDetail>;
  'mm-signed-in': CustomEvent<MmSignedInDetail>;
  'mm-signed-out': CustomEvent<MmSignedOutDetail>;
  'mm-error': CustomEvent<MmErrorDetail>;
}

export type MmEventName = keyof MmEventMap;
export type MmEventDetail<K extends MmEventName> =
  MmEventMap[K] extends CustomEvent<infer D> ? D : never;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface GlobalEventHandlersEventMap extends MmEventMap {}
}
