/**
 * The save queue of one client's note: what `<mm-client-notes>` does with every keystroke.
 *
 * - Every edit is written to the local draft before anything else.
 * - After a pause (or on blur, page hide, client switch) the text is sent with the version it
 *   was based on (`If-Match`). One request at a time; edits made meanwhile go in the next.
 * - The draft is removed only when the server confirms that exact text.
 * - A network failure or a 5xx is retried with backoff (and when the browser is back online);
 *   a 412 whose current text is the text sent is a save whose response was lost: saved.
 *   Any other 412 is a conflict that the user resolves; nothing is overwritten silently.
 *
 * No Lit here: the element renders from the public fields and is told of changes through
 * the callbacks.
 */
import type { CrmClient } from '../../api/client.js';
import { CrmApiError, isAbortError } from '../../api/errors.js';
import { LIMITS, type Note } from '../../api/schemas.js';
import type { DraftStore } from './draft-store.js';

export type NoteSaveState =
  /** Nothing to save: the editor shows what the server has. */
  | 'idle'
  /** Edited; waiting for a pause in typing. */
  | 'dirty'
  /** A save is in flight. */
  | 'saving'
  /** The server confirmed the text (see `savedAt`). */
  | 'saved'
  /** The last save did not reach the server; the draft is kept and retried. */
  | 'offline'
  /** The server refused or failed the last save (see `error`). */
  | 'error'
  /** The note changed on the server since the user's version (see `conflict`). */
  | 'conflict'
  /** Over `LIMITS.noteMaxChars`: kept locally, not sent. */
  | 'too-long';

export interface NoteConflict {
  /** The version the user's text was based on. */
  baseVersion: number;
  /** The note on the server now. */
  theirs: Note;
  /** True while the user merges by hand (the editor holds the merged text). */
  merging: boolean;
  /** The user's text before "Merge by hand", restored on cancel. */
  beforeMerge: string | null;
}

export interface NoteSaverCallbacks {
  /** Anything shown changed. */
  changed(saver: NoteSaver): void;
  /** The server confirmed a text (`mm-note-saved`). */
  saved(saver: NoteSaver, note: Note): void;
  /** A 412 with a different text (`mm-note-conflict`). */
  conflict(saver: NoteSaver, conflict: NoteConflict): void;
  /** A save failed in a way the user sees (`mm-error`); once per failure, not per retry. */
  failed(saver: NoteSaver, error: CrmApiError): void;
}

export interface NoteSaverOptions {
  client: CrmClient;
  crm: string;
  clientId: string;
  /** The draft's storage key. */
  key: string;
  drafts: DraftStore;
  /** Milliseconds of pause before an autosave. */
  saveDelay: () => number;
  /** Milliseconds before automatic retry `n` (0-based) of a failed save. */
  retryDelay?: (attempt: number) => number;
  callbacks: NoteSaverCallbacks;
}

/** Below the 64 KiB that browsers allow keepalive request bodies in flight, all together. */
const KEEPALIVE_BYTES = 60_000;

/** 1 s, 2 s, 4 s ... up to 30 s, with a little jitter so that tabs do not retry in step. */
export const defaultRetryDelay = (attempt: number) =>
  Math.min(30_000, 1000 * 2 ** attempt) * (0.9 + Math.random() * 0.2);

/** Failures worth retrying on their own: no response, or the server's own trouble. */
export const isRetriable = (e: CrmApiError) =>
  e.isNetwork || e.status >= 500 || e.status === 408 || e.status === 429;

export class NoteSaver {
  readonly key: string;
  readonly crm: string;
  readonly clientId: string;
  /** The API client; replaced when the token source changes. */
  client: CrmClient;

  state: NoteSaveState = 'idle';
  /** The text in the editor. */
  text = '';
  /** The server version `text` is based on (sent as `If-Match`). */
  baseVersion = 0;
  /** The latest note the server gave (text, version, who and when). */
  server: Note | null = null;
  /** When the server last confirmed a save from here. */
  savedAt: Date | null = null;
  /** Why the last save failed (`offline` and `error` states). */
  error: CrmApiError | null = null;
  conflict: NoteConflict | null = null;
  /** True when the last draft could not be written to localStorage (kept in memory only). */
  localOnly = false;
  /** True once the text is known (from the server, a draft or both). */
  started = false;

  #options: NoteSaverOptions;
  /** The text the server has at `baseVersion`; null when not known (a draft, offline). */
  #confirmed: string | null = null;
  #inFlight: Promise<void> | null = null;
  #queued = false;
  #debounce: ReturnType<typeof setTimeout> | undefined;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #failures = 0;
  #suspended = false;

  constructor(options: NoteSaverOptions) {
    this.#options = options;
    this.key = options.key;
    this.crm = options.crm;
    this.clientId = options.clientId;
    this.client = options.client;
  }

  /** Edits that the server has not confirmed (typed, in flight, or in conflict). */
  get hasUnsavedChanges(): boolean {
    return (
      this.started &&
      (this.text !== this.#confirmed || this.#inFlight !== null || this.conflict !== null)
    );
  }

  get saving(): boolean {
    return this.#inFlight !== null;
  }

  get overLimit(): boolean {
    return this.text.length > LIMITS.noteMaxChars;
  }

  hasDraft(): boolean {
    return this.#options.drafts.read(this.key) !== null;
  }

  /**
   * Shows the note: the local draft when there is one (sent at once, against the version it
   * started from), the server's text otherwise. `note` is null when it could not be loaded;
   * a draft is then still shown and sent. Called again after a reload of the same client,
   * it takes a newer server text only when nothing here is unsaved.
   */
  start(note: Note | null): void {
    if (this.started) {
      if (note) this.#refresh(note);
      this.#changed();
      return;
    }
    const draft = this.#options.drafts.read(this.key);
    if (note) {
      this.server = note;
      this.#rebase(note);
      this.text = note.text;
    }
    if (draft) {
      if (note && draft.text === note.text) {
        // The server already has it (a save whose response was lost): nothing to send.
        this.#options.drafts.remove(this.key);
      } else {
        this.text = draft.text;
        this.baseVersion = draft.baseVersion;
        this.#confirmed = note && note.version === draft.baseVersion ? note.text : null;
      }
    }
    this.started = true;
    this.state = 'idle';
    if (this.text !== this.#confirmed) this.saveNow();
    else this.#changed();
  }

  /** The user edited the text: draft first, then an autosave after a pause. */
  input(text: string): void {
    this.text = text;
    this.#writeDraft();
    if (!this.started || this.conflict) return this.#changed();
    if (this.overLimit) {
      this.#clearDebounce();
      return this.#set('too-long');
    }
    if (text === this.#confirmed && !this.#inFlight) {
      // Back to what the server has: nothing to send.
      this.#clearDebounce();
      this.#clearRetry();
      this.#options.drafts.remove(this.key);
      this.error = null;
      return this.#set(this.savedAt ? 'saved' : 'idle');
    }
    if (!this.#failing && !this.#inFlight) this.#set('dirty');
    else this.#changed();
    this.#clearDebounce();
    if (!this.#suspended) {
      this.#debounce = setTimeout(() => {
        this.#debounce = undefined;
        this.saveNow();
      }, this.#options.saveDelay());
    }
  }

  /**
   * Sends the text now (blur, page hide, client switch, backoff, back online). `keepalive`:
   * the page is being left; the request may outlive it if its body is within the browser's
   * 64 KB keepalive limit (a longer note stays in the draft until the page is opened again).
   */
  saveNow(keepalive = false): void {
    this.#clearDebounce();
    if (!this.started || this.conflict) return;
    if (this.#inFlight) {
      this.#queued = true;
      return;
    }
    if (this.overLimit) return this.#set('too-long');
    if (this.text === this.#confirmed) {
      this.#clearRetry();
      if (this.#options.drafts.read(this.key)?.text === this.text) {
        this.#options.drafts.remove(this.key);
      }
      return this.#set(this.savedAt ? 'saved' : 'idle');
    }
    this.#clearRetry();
    this.#queued = false;
    const sent = { text: this.text, baseVersion: this.baseVersion };
    // A retry of a failing save keeps "Offline" or "Not saved" on screen until it succeeds.
    const quiet = this.#failing;
    keepalive &&= new TextEncoder().encode(JSON.stringify(sent)).length < KEEPALIVE_BYTES;
    const options = keepalive ? { keepalive } : undefined;
    this.#inFlight = this.client
      .putNote(this.crm, this.clientId, sent.text, sent.baseVersion, options)
      .then(
        (note) => {
          this.#inFlight = null;
          this.#confirm(note);
        },
        (error: unknown) => {
          this.#inFlight = null;
          this.#fail(error, sent);
        },
      );
    if (quiet) this.#changed();
    else this.#set('saving');
  }

  /** The Retry button: shows "Saving…" and sends now. */
  retry(): void {
    this.#failures = 0;
    if (this.#inFlight) return;
    if (this.#failing) {
      this.state = 'dirty';
      this.error = null;
    }
    this.saveNow();
  }

  /** The browser is back online: a failing save is sent again at once. */
  online(): void {
    if (
      this.state === 'offline' ||
      (this.state === 'error' && this.error && isRetriable(this.error))
    ) {
      this.saveNow();
    }
  }

  /** Saves now and resolves once nothing is in flight. */
  async flush(): Promise<void> {
    this.saveNow();
    await this.settled();
  }

  /** Resolves once nothing is in flight (queued edits included). */
  async settled(): Promise<void> {
    while (this.#inFlight) await this.#inFlight;
  }

  /** No timers while the element is out of the document (an in-flight save still lands). */
  suspend(): void {
    this.#suspended = true;
    this.#clearRetry();
    if (this.#debounce !== undefined) this.saveNow();
  }

  resume(): void {
    if (!this.#suspended) return;
    this.#suspended = false;
    if (this.#failing && this.error && isRetriable(this.error)) this.#scheduleRetry();
    else if (this.started && this.text !== this.#confirmed && !this.conflict) this.saveNow();
  }

  // -- conflict resolution --------------------------------------------------------------------

  /** Keep mine: save the user's text against the server's current version. */
  keepMine(): void {
    const c = this.conflict;
    if (!c) return;
    this.conflict = null;
    this.#refreshServer(c.theirs);
    this.#rebase(c.theirs);
    this.#writeDraft();
    this.state = 'dirty';
    this.saveNow();
  }

  /** Take theirs: the server's text replaces mine; the draft goes. */
  takeTheirs(): void {
    const c = this.conflict;
    if (!c) return;
    this.conflict = null;
    this.#refreshServer(c.theirs);
    this.#rebase(c.theirs);
    this.text = c.theirs.text;
    this.#options.drafts.remove(this.key);
    this.error = null;
    this.#set('idle');
  }

  /** Merge by hand: the editor gets `combined` (both texts) to edit, then `keepMine()`. */
  startMerge(combined: string): void {
    const c = this.conflict;
    if (!c || c.merging) return;
    c.merging = true;
    c.beforeMerge = this.text;
    this.text = combined;
    this.#writeDraft();
    this.#changed();
  }

  /** Back to the side-by-side choice with the text as it was before merging. */
  cancelMerge(): void {
    const c = this.conflict;
    if (!c || !c.merging) return;
    c.merging = false;
    this.text = c.beforeMerge ?? this.text;
    c.beforeMerge = null;
    this.#writeDraft();
    this.#changed();
  }

  // -- internals ------------------------------------------------------------------------------

  get #failing() {
    return this.state === 'offline' || this.state === 'error';
  }

  #confirm(note: Note) {
    this.#failures = 0;
    this.error = null;
    this.#clearRetry();
    this.#refreshServer(note);
    this.#rebase(note);
    this.savedAt = new Date();
    const draft = this.#options.drafts.read(this.key);
    if (draft?.text === note.text) this.#options.drafts.remove(this.key);
    // Typed more meanwhile: the rest is now based on the new version.
    else if (this.text !== note.text) this.#writeDraft();
    this.#options.callbacks.saved(this, note);
    if (this.text === note.text) {
      this.#queued = false;
      return this.#set('saved');
    }
    if (this.overLimit) return this.#set('too-long');
    if (this.#queued || this.#debounce === undefined) this.saveNow();
    else this.#set('dirty');
  }

  #fail(error: unknown, sent: { text: string; baseVersion: number }) {
    if (isAbortError(error)) return this.#set('dirty');
    const e =
      error instanceof CrmApiError
        ? error
        : new CrmApiError({
            code: 'internal',
            status: 0,
            detail: error instanceof Error ? error.message : 'The note could not be saved.',
            cause: error,
          });
    const current = e.code === 'version_conflict' ? e.currentNote : undefined;
    if (current) {
      // A retried save whose first response was lost: the server has exactly this text.
      if (current.text === sent.text) return this.#confirm(current);
      this.#clearDebounce();
      this.#clearRetry();
      this.#queued = false;
      this.error = null;
      this.conflict = {
        baseVersion: sent.baseVersion,
        theirs: current,
        merging: false,
        beforeMerge: null,
      };
      this.#set('conflict');
      this.#options.callbacks.conflict(this, this.conflict);
      return;
    }
    const repeated = this.#failing && this.error?.code === e.code;
    this.error = e;
    this.#queued = false;
    this.#set(e.isNetwork ? 'offline' : 'error');
    if (!repeated) this.#options.callbacks.failed(this, e);
    if (isRetriable(e)) this.#scheduleRetry();
  }

  #scheduleRetry() {
    this.#clearRetry();
    if (this.#suspended) return;
    const delay = (this.#options.retryDelay ?? defaultRetryDelay)(this.#failures++);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.saveNow();
    }, delay);
  }

  /** A reloaded note: taken when nothing here is unsaved; otherwise the next save decides. */
  #refresh(note: Note) {
    if (this.hasUnsavedChanges || note.version < this.baseVersion) return;
    this.#refreshServer(note);
    this.#rebase(note);
    this.text = note.text;
  }

  #refreshServer(note: Note) {
    if (!this.server || note.version >= this.server.version) this.server = note;
  }

  #rebase(note: Note) {
    this.baseVersion = note.version;
    this.#confirmed = note.text;
  }

  #writeDraft() {
    const ok = this.#options.drafts.write(this.key, {
      text: this.text,
      baseVersion: this.conflict ? this.conflict.baseVersion : this.baseVersion,
      savedAt: new Date().toISOString(),
    });
    this.localOnly = !ok;
  }

  #clearDebounce() {
    if (this.#debounce !== undefined) clearTimeout(this.#debounce);
    this.#debounce = undefined;
  }

  #clearRetry() {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
  }

  #set(state: NoteSaveState) {
    this.state = state;
    this.#changed();
  }

  #changed() {
    this.#options.callbacks.changed(this);
  }
}
