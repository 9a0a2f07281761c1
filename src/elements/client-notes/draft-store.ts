/**
 * The local copy of a note that the server has not confirmed yet: written on every edit
 * before any request, removed only when the server confirms that exact text.
 *
 * Kept in `localStorage` under `mm-notes:v1:<apiBase>|<crm>|<clientId>`, so that a reload,
 * a closed laptop or a crash loses nothing. When storage is unavailable (disabled, private
 * mode, quota exceeded) the draft lives in memory for this page and `write` returns false
 * so that the element can warn.
 */

/** What is stored per client. */
export interface NoteDraft {
  /** The text as the user left it. */
  text: string;
  /** The server version this text was based on (sent as `If-Match`). */
  baseVersion: number;
  /** When the draft was written (ISO time). */
  savedAt: string;
}

export const DRAFT_PREFIX = 'mm-notes:v1:';

/** The storage key of one client's draft. */
export const draftKey = (apiBase: string, crm: string, clientId: string) =>
  `${DRAFT_PREFIX}${apiBase.replace(/\/+$/, '')}|${crm}|${clientId}`;

/** Drafts that could not be stored: this page only, shared by every element in it. */
const memory = new Map<string, NoteDraft>();

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // SecurityError: storage disabled for this origin.
    return null;
  }
}

function parse(raw: string | null): NoteDraft | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<NoteDraft> | null;
    if (
      value &&
      typeof value.text === 'string' &&
      typeof value.baseVersion === 'number' &&
      Number.isInteger(value.baseVersion) &&
      value.baseVersion >= 0
    ) {
      return {
        text: value.text,
        baseVersion: value.baseVersion,
        savedAt: typeof value.savedAt === 'string' ? value.savedAt : '',
      };
    }
  } catch {
    // not ours, or damaged: ignored
  }
  return null;
}

export const draftStore = {
  read(key: string): NoteDraft | null {
    const inMemory = memory.get(key);
    if (inMemory) return inMemory;
    try {
      return parse(storage()?.getItem(key) ?? null);
    } catch {
      return null;
    }
  },

  /** Stores the draft; false when it is kept in memory only. */
  write(key: string, draft: NoteDraft): boolean {
    const store = storage();
    try {
      if (!store) throw new Error('localStorage is unavailable');
      store.setItem(key, JSON.stringify(draft));
      memory.delete(key);
      return true;
    } catch {
      // QuotaExceededError, SecurityError: keep it for this page and say so.
      memory.set(key, draft);
      return false;
    }
  },

  remove(key: string): void {
    memory.delete(key);
    try {
      storage()?.removeItem(key);
    } catch {
      // nothing stored there
    }
  },
};

export type DraftStore = typeof draftStore;
