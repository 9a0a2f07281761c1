import { initialState, Task, TaskStatus } from '@lit/task';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { isAbortError, type CrmApiError } from '../../api/errors.js';
import { LIMITS, type CrmSummary, type Note } from '../../api/schemas.js';
import { CrmClientElement } from '../../shared/client-element.js';
import { signOutButton } from '../../auth/sign-in.js';
import { crmInfo } from '../../shared/crm-element.js';
import { emit } from '../../shared/emit.js';
import { formatCount, formatDateTime, formatTime } from '../../shared/format.js';
import { hostStyles } from '../../shared/host-styles.js';
import { reportError } from '../../shared/report-error.js';
import { errorMessage, errorView } from '../../shared/ui.js';
import { styles } from './client-notes.styles.js';
import { draftKey, draftStore } from './draft-store.js';
import type { NoteHistory } from './note-history.js';
import { isRetriable, NoteSaver, type NoteSaveState } from './note-saver.js';

/** From this length on, a counter shows how close the note is to the limit. */
export const NOTE_COUNTER_FROM = 19_000;

interface Loaded {
  note: Note;
  crm: CrmSummary;
}

/**
 * The private notes editor for one client: autosaves after a pause in typing and on blur,
 * keeps a local draft until the server confirms the exact text (reload, offline, a server
 * error or a closed laptop lose nothing), and shows both versions when someone else changed
 * the note meanwhile. "History" shows the kept versions (who and when), one version's text and
 * its word-level changes to the current note, and restores one with an ordinary save.
 *
 * @summary A client's notes: autosave, conflict-safe, never loses a keystroke.
 *
 * @fires mm-note-saved - The server confirmed a text: `{clientId, version}`.
 * @fires mm-note-conflict - The note changed on the server since the user's version: `{clientId, baseVersion, serverVersion}`.
 * @fires mm-error - Loading or saving failed in a way the user sees: `{code, status, detail}`.
 * @fires mm-auth-required - A request was refused with 401 even after asking `getToken` again.
 * @fires mm-signed-in - `{userId}`: signed in with "Sign in with MoveMentors" (`api-base` without a token).
 * @fires mm-signed-out - Signed out (from any element of the page), or the sign-in ended.
 *
 * @csspart textarea - The note's text area (in a conflict: the user's version).
 * @csspart theirs - The read-only text area with the server's version in a conflict.
 * @csspart status - The save state ("Saving…", "Saved 10:42", ...), a polite live region.
 * @csspart sign-in - The "Sign in with MoveMentors" button (`api-base` without a token).
 * @csspart sign-out - The "Sign out" button while signed in that way.
 * @csspart notice - Who can read the note ("Private to you", "Shared with your studio's teachers").
 * @csspart conflict - The conflict panel: their version and the choices.
 * @csspart counter - The character counter near the limit.
 * @csspart retry - The Retry button after a failed save.
 * @csspart error - The error state when the note cannot be loaded.
 * @csspart history-button - The History button.
 * @csspart history - The history view: the versions and the one picked.
 * @csspart history-close - Its "Back to the note" button.
 * @csspart versions - The list of versions, newest first.
 * @csspart version - One version in the list (`aria-current="true"` when picked).
 * @csspart version-view - The picked version: its changes or its text, and Restore.
 * @csspart version-text - The text of the picked version.
 * @csspart diff - Its word-level changes to the current note (`<del>` and `<ins>`).
 * @csspart restore - The "Restore this version" button.
 * @csspart restore-confirm - Restore's inline confirm when the editor has unsaved text: what it replaces, "Keep my unsaved text" (`restore-cancel`, focused) and "Replace it with version N" (`restore-confirmed`).
 * @csspart restore-cancel - The confirm's "Keep my unsaved text" button.
 * @csspart restore-confirmed - The confirm's "Replace it with version N" button.
 * @csspart warning - A warning above or below the editor: the saved note could not be loaded (the draft is shown), or this browser cannot keep a local copy.
 *
 * @cssprop --mm-client-notes-min-height - Minimum height of the text area (default 12em).
 * @cssprop --mm-client-notes-padding - Padding around the editor.
 * @cssprop --mm-client-notes-gap - Space between the parts.
 * @cssprop --mm-client-notes-notice-bg - Background of the privacy notice.
 * @cssprop --mm-client-notes-notice-fg - Text colour of the privacy notice.
 * @cssprop --mm-client-notes-conflict-border - Border colour of the conflict panel.
 */
export class MmClientNotes extends CrmClientElement {
  static override styles = [hostStyles, styles];

  /** Milliseconds of pause in typing before an autosave. */
  @property({ type: Number, attribute: 'save-delay' }) saveDelay = 800;

  // A getter rather than `@query`: the decorator's module is not worth its bytes here.
  private get textarea() {
    return this.renderRoot?.querySelector<HTMLTextAreaElement>('#note') ?? null;
  }

  /** One saver per (apiBase, crm, client): the one shown, and earlier ones still saving. */
  #savers = new Map<string, NoteSaver>();
  #current: NoteSaver | null = null;
  /** The history view: its code loads on the first click on History (a lazy chunk). */
  #history?: NoteHistory;
  #historyNotice = '';

  #load = new Task(this, {
    task: async ([client, crm, clientId, saver], { signal }) => {
      if (!client || !crm || !clientId || !saver) return initialState;
      try {
        const [note, info] = await Promise.all([
          client.getNote(crm, clientId, { signal }),
          crmInfo(client, crm, signal),
        ]);
        saver.start(note);
        return { note, crm: info } satisfies Loaded;
      } catch (error) {
        // The draft is shown (and sent) even when the note cannot be loaded.
        if (!isAbortError(error) && !saver.started && saver.hasDraft()) saver.start(null);
        throw error;
      }
    },
    args: () => {
      const config = this.crmConfig;
      return [config?.client ?? null, config?.crm, this.clientId, this.#current] as const;
    },
    onError: (error) => reportError(this, error),
  });

  /** The save state of the note shown. */
  get saveState(): NoteSaveState | 'loading' | 'none' {
    const saver = this.#current;
    if (!saver) return 'none';
    return saver.started ? saver.state : 'loading';
  }

  /** True while any note edited here is not confirmed by the server. */
  get hasUnsavedChanges(): boolean {
    return [...this.#savers.values()].some((s) => s.hasUnsavedChanges);
  }

  /** Saves every pending edit now; resolves when no save is in flight. */
  async flush(): Promise<void> {
    await Promise.all([...this.#savers.values()].map((s) => s.flush()));
  }

  // -- lifecycle ------------------------------------------------------------------------------

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('beforeunload', this.#onBeforeUnload);
    window.addEventListener('pagehide', this.#onPageHide);
    window.addEventListener('online', this.#onOnline);
    document.addEventListener('visibilitychange', this.#onVisibilityChange);
    for (const saver of this.#savers.values()) saver.resume();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.#onBeforeUnload);
    window.removeEventListener('pagehide', this.#onPageHide);
    window.removeEventListener('online', this.#onOnline);
    document.removeEventListener('visibilitychange', this.#onVisibilityChange);
    // Pending edits go now; the drafts are stored, so nothing is lost if they fail.
    for (const saver of this.#savers.values()) saver.suspend();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.#switchTo(this.#saverFor());
  }

  // -- savers ---------------------------------------------------------------------------------

  /** The saver of the client to show (created on first use), or null when there is none. */
  #saverFor(): NoteSaver | null {
    const config = this.crmConfig;
    if (!config?.client || !this.clientId) return null;
    const key = draftKey(config.apiBase, config.crm, this.clientId);
    let saver = this.#savers.get(key);
    if (!saver) {
      saver = new NoteSaver({
        client: config.client,
        crm: config.crm,
        clientId: this.clientId,
        key,
        drafts: draftStore,
        saveDelay: () => this.saveDelay,
        callbacks: this.#callbacks,
      });
      this.#savers.set(key, saver);
    }
    // A new token source for the same client: later saves use it.
    saver.client = config.client;
    return saver;
  }

  /** Another client (or none): the previous one's pending edit is sent at once. */
  #switchTo(next: NoteSaver | null) {
    const previous = this.#current;
    if (previous === next) return;
    this.#current = next;
    if (this.#history) this.#history.isOpen = false;
    next?.resume();
    if (previous) {
      previous.saveNow();
      this.#forgetIfDone(previous);
    }
  }

  #forgetIfDone(saver: NoteSaver) {
    if (saver === this.#current || saver.hasUnsavedChanges) return;
    saver.suspend();
    this.#savers.delete(saver.key);
  }

  #callbacks = {
    changed: (saver: NoteSaver) => {
      if (saver === this.#current) this.requestUpdate();
      else this.#forgetIfDone(saver);
    },
    saved: (saver: NoteSaver, note: Note) => {
      emit(this, 'mm-note-saved', { clientId: saver.clientId, version: note.version });
    },
    conflict: (saver: NoteSaver, c: { baseVersion: number; theirs: Note }) => {
      emit(this, 'mm-note-conflict', {
        clientId: saver.clientId,
        baseVersion: c.baseVersion,
        serverVersion: c.theirs.version,
      });
    },
    failed: (_saver: NoteSaver, error: CrmApiError) => reportError(this, error),
  };

  // -- page events ----------------------------------------------------------------------------

  #onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!this.hasUnsavedChanges) return;
    // The draft is stored, but the user should know the server does not have it yet.
    event.preventDefault();
    event.returnValue = '';
  };

  // The page is being left or hidden (a tab switch, a phone's app switcher; often its last
  // chance to run): pending edits go now, in requests that outlive the page.
  #onPageHide = () => this.#saveAll();

  #onVisibilityChange = () => {
    if (document.visibilityState === 'hidden') this.#saveAll();
  };

  #onOnline = () => {
    for (const saver of this.#savers.values()) saver.online();
  };

  #saveAll() {
    for (const saver of this.#savers.values()) saver.saveNow(true);
  }

  // -- user actions ---------------------------------------------------------------------------

  #onInput(event: Event) {
    this.#current?.input((event.target as HTMLTextAreaElement).value);
  }

  #onBlur() {
    const saver = this.#current;
    if (saver?.started && saver.hasUnsavedChanges && !saver.saving) saver.saveNow();
  }

  #retry() {
    this.#current?.retry();
  }

  #keepMine() {
    this.#current?.keepMine();
    void this.#focusEditor();
  }

  #takeTheirs() {
    this.#current?.takeTheirs();
    void this.#focusEditor();
  }

  #merge() {
    const saver = this.#current;
    const theirs = saver?.conflict?.theirs;
    if (!saver || !theirs) return;
    const header = `——— Their version${this.#byline(theirs) ? ` (${this.#byline(theirs)})` : ''} ———`;
    saver.startMerge(`${saver.text}\n\n${header}\n${theirs.text}`);
    void this.#focusEditor();
  }

  #cancelMerge() {
    this.#current?.cancelMerge();
    void this.#focusEditor();
  }

  async #openHistory() {
    try {
      const { NoteHistory } = await import('./note-history.js');
      this.#history ??= new NoteHistory(this, () => this.#current);
      this.#historyNotice = '';
      this.#history.open(this.#load.value?.crm.kind === 'studio', this.crmConfig?.locale);
    } catch (error) {
      reportError(this, error);
      this.#historyNotice =
        'Could not load the history. Check your connection and reload the page.';
    }
    this.requestUpdate();
  }

  async #focusEditor() {
    await this.updateComplete;
    this.textarea?.focus();
  }

  // -- rendering ------------------------------------------------------------------------------

  #byline(note: Note): string {
    const who = note.updatedBy?.name;
    const when = note.updatedAt ? formatDateTime(note.updatedAt, this.crmConfig?.locale) : '';
    return [who, when].filter(Boolean).join(', ');
  }

  #number(n: number): string {
    return formatCount(n, this.crmConfig?.locale);
  }

  override render(): TemplateResult {
    const gate = this.signInGate();
    if (gate) return html`<div class="notes">${gate}</div>`;
    const config = this.crmConfig;
    // As the card: no client chosen says so first (a list followed with for= may not be
    // signed in yet, and then has no CRM to give).
    if (!this.clientId) return this.#message('Choose a client to see their notes.');
    if (!config) {
      return this.#message('Not configured: set api-base and crm (or use <mm-crm-provider>).');
    }
    if (!config.client) return this.#message(errorMessage({ code: 'no_token' }));
    const saver = this.#current;
    const loaded = this.#load.value;
    return this.#load.render({
      initial: () => this.#skeleton(),
      pending: () => (saver?.started ? this.#editor(saver, loaded) : this.#skeleton()),
      complete: (value) => (saver?.started ? this.#editor(saver, value) : this.#skeleton()),
      error: (error) =>
        saver?.started
          ? this.#editor(saver, undefined, error)
          : errorView(error, () => void this.#load.run()),
    });
  }

  #message(text: string) {
    return html`<div class="notes">
      <p class="message muted" part="status" role="status">${text}</p>
    </div>`;
  }

  #skeleton() {
    return html`<div class="notes" aria-busy="true">
      <div class="skeleton line"></div>
      <div class="skeleton area"></div>
      <div class="foot">
        <span part="status" role="status" data-state="loading">Loading note…</span>
      </div>
    </div>`;
  }

  #notice(loaded: Loaded | undefined, saver: NoteSaver) {
    const kind = loaded?.crm.kind;
    if (!kind) return nothing;
    if (kind === 'mentor') {
      return html`<p id="notice" part="notice">Private to you — the client never sees this.</p>`;
    }
    // In a conflict the newest version is theirs: say who wrote it and when, not the older one.
    const newest = saver.conflict?.theirs ?? saver.server;
    const last = newest?.updatedBy ? newest : null;
    return html`<p id="notice" part="notice">
      Shared with your studio's teachers — the client never sees this.
      ${
        last ? html`<span class="last-edited">Last edited by ${this.#byline(last)}</span>` : nothing
      }
    </p>`;
  }

  #statusText(saver: NoteSaver): string {
    const locale = this.crmConfig?.locale;
    switch (saver.state) {
      case 'idle':
        return 'All changes saved';
      case 'dirty':
        return 'Unsaved changes';
      case 'saving':
        return 'Saving…';
      case 'saved':
        return saver.savedAt ? `Saved ${formatTime(saver.savedAt, locale)}` : 'Saved';
      case 'offline':
        return 'Offline — kept on this device';
      case 'error':
        // A token without `crm:write`: retrying cannot help.
        return forbidden(saver)
          ? 'Not saved: you can read this note but not edit it. Your text is kept on this device.'
          : 'Not saved — retry';
      case 'conflict':
        return saver.conflict?.merging
          ? 'Merging: edit the note, then save it'
          : 'Someone else changed this note — choose what to keep';
      case 'too-long':
        return `Too long to save: ${this.#number(saver.text.length)} of ${this.#number(LIMITS.noteMaxChars)} characters. Kept on this device; shorten it to save.`;
    }
  }

  #editor(saver: NoteSaver, loaded: Loaded | undefined, loadError?: unknown) {
    const c = saver.conflict;
    const length = saver.text.length;
    const over = length > LIMITS.noteMaxChars;
    const showCounter = length >= NOTE_COUNTER_FROM;
    const label = c ? (c.merging ? 'Merged note (yours and theirs)' : 'Your version') : 'Notes';
    const failed = saver.state === 'error' && saver.error && !forbidden(saver);
    const describedBy = [
      loaded ? 'notice' : '',
      showCounter ? 'counter' : '',
      saver.localOnly ? 'local-only' : '',
    ]
      .filter(Boolean)
      .join(' ');
    return html`<div
      class="notes"
      aria-busy=${this.#load.status === TaskStatus.PENDING ? 'true' : 'false'}
    >
      <div class="head">${this.#notice(loaded, saver)}</div>
      ${
        loadError && !saver.server
          ? html`<p class="warning" part="warning">
              Could not load the saved note (${errorMessage(loadError)}). Your draft from this
              device is shown and will be sent.
            </p>`
          : nothing
      }
      ${
        this.#history?.isOpen
          ? this.#history.render(saver)
          : html`<div class="columns ${c && !c.merging ? 'conflicted' : ''}">
              <div class="column">
                <label for="note">${label}</label>
                <textarea
                  id="note"
                  part="textarea"
                  spellcheck="true"
                  aria-describedby=${describedBy}
                  aria-invalid=${over ? 'true' : 'false'}
                  .value=${live(saver.text)}
                  @input=${this.#onInput}
                  @blur=${this.#onBlur}
                ></textarea>
              </div>
              ${c ? this.#conflictPanel(c.merging, c.theirs) : nothing}
            </div>`
      }
      <div class="foot">
        <span id="status" part="status" role="status" data-state=${saver.state}
          >${this.#statusText(saver)}${
            failed ? html`<span class="detail"> (${errorMessage(saver.error)})</span>` : nothing
          }</span
        >
        ${
          (saver.state === 'error' && !forbidden(saver)) ||
          (saver.state === 'offline' && saver.error && isRetriable(saver.error))
            ? html`<button type="button" part="retry" @click=${this.#retry}>Retry</button>`
            : nothing
        }
        ${
          this.#history?.isOpen
            ? nothing
            : html`<button
                type="button"
                part="history-button"
                class="history-button"
                @click=${this.#openHistory}
              >
                History
              </button>`
        }
        ${signOutButton(this.signIn)}
        <span class="warning" role="status">${this.#historyNotice}</span>
        ${
          showCounter
            ? html`<span id="counter" part="counter" class=${over ? 'over' : ''}
                >${this.#number(length)} / ${this.#number(LIMITS.noteMaxChars)}</span
              >`
            : nothing
        }
      </div>
      ${
        saver.localOnly
          ? html`<p id="local-only" class="warning" part="warning">
              This browser cannot keep a copy of the note (storage is full or disabled). Keep this
              page open until it says Saved.
            </p>`
          : nothing
      }
    </div>`;
  }

  #conflictPanel(merging: boolean, theirs: Note) {
    const byline = this.#byline(theirs);
    if (merging) {
      return html`<section part="conflict" aria-label="Resolve the conflict">
        <p>
          Both versions are in the note. Edit it into one, then save it over the current version.
          Nothing is saved until you do.
        </p>
        <div class="actions">
          <button type="button" class="primary" @click=${this.#keepMine}>Save merged note</button>
          <button type="button" @click=${this.#cancelMerge}>Back to both versions</button>
        </div>
      </section>`;
    }
    return html`<section part="conflict" aria-label="Resolve the conflict">
      <p>
        <strong>This note was changed${byline ? ` by ${byline}` : ''}</strong> while you were
        editing it. Nothing has been overwritten: choose what to keep.
      </p>
      <label for="theirs">Their version</label>
      <textarea id="theirs" part="theirs" readonly .value=${live(theirs.text)}></textarea>
      <div class="actions">
        <button type="button" class="primary" @click=${this.#keepMine}>Keep mine</button>
        <button type="button" @click=${this.#takeTheirs}>Take theirs</button>
        <button type="button" @click=${this.#merge}>Merge by hand</button>
      </div>
    </section>`;
  }
}

/** The last save was refused for the token's scopes (403). */
const forbidden = (saver: NoteSaver) => saver.error?.code === 'insufficient_scope';
