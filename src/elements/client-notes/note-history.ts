/**
 * The "History" view of `<mm-client-notes>` (SPEC section 8): the kept versions of the note,
 * newest first, with when and (in a studio) who; one version's text; a word-level difference
 * between it and the current text (removals struck through and added text underlined, each
 * also said in words to screen readers); and "Restore", which puts the version's text in the
 * editor and saves it through the note's saver like any edit (with `If-Match`: a note changed
 * meanwhile is a conflict, resolved as any other). When the editor holds text not yet saved
 * (in no version), Restore first asks, inline, whether to replace it.
 *
 * Few people open it, so in the standalone bundle it is a chunk of its own beside `mm-crm.js`
 * (`mm-crm.note-history.js`), loaded on the first click on History; its styles come with it,
 * adopted into the element's shadow root.
 */
import { TaskStatus, type Task } from '@lit/task';
import { css, html, nothing, type ReactiveControllerHost } from 'lit';
import { CrmApiError } from '../../api/errors.js';
import { getNoteVersion, listNoteVersions } from '../../api/note-versions.js';
import type { NoteVersion, NoteVersionPage, NoteVersionSummary } from '../../api/schemas.js';
import { action } from '../../shared/action.js';
import { formatDateTime } from '../../shared/format.js';
import { errorMessage } from '../../shared/ui.js';
import type { NoteSaver } from './note-saver.js';
import { wordDiff } from './word-diff.js';

const styles = css`
  .history {
    display: grid;
    gap: var(--_notes-gap);
  }
  .history-head {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: var(--_notes-gap);
  }
  .history h3,
  .history h4,
  .history p {
    margin: 0;
  }
  .history h3 {
    font-size: 1em;
  }
  .history h4 {
    font-size: 0.95em;
  }
  /* Headings take focus only to move the reader there (a pick, the view opening). */
  .history [tabindex='-1']:focus {
    outline: none;
  }
  .history-body {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_notes-gap);
    align-items: start;
  }
  .versions {
    flex: 1 1 14em;
    display: grid;
    gap: 4px;
    align-content: start;
  }
  .versions ul {
    display: grid;
    gap: 4px;
    margin: 0;
    padding: 0;
    list-style: none;
    max-height: 22em;
    overflow: auto;
  }
  .versions li button {
    display: grid;
    width: 100%;
    text-align: start;
    gap: 2px;
    background: var(--_bg);
  }
  .versions li button[aria-current='true'] {
    border-color: var(--_accent);
    box-shadow: inset 4px 0 0 var(--_accent);
    background: var(--_surface);
  }
  .versions .meta {
    font-size: 0.85em;
    color: var(--_muted);
  }
  .version {
    flex: 3 1 20em;
    min-width: 0;
    display: grid;
    gap: var(--_notes-gap);
  }
  .view-switch {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
  }
  .view-switch button[aria-pressed='true'] {
    border-color: var(--_accent);
    box-shadow: inset 0 -3px 0 var(--_accent);
    font-weight: 600;
  }
  .version-text,
  .diff {
    margin: 0;
    padding: var(--_space);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    background: var(--_surface);
    overflow-wrap: anywhere;
    line-height: 1.5;
    max-height: 22em;
    overflow: auto;
  }
  .history .pre {
    white-space: pre-wrap;
  }
  .diff del {
    text-decoration: line-through 2px var(--_danger);
    background: color-mix(in srgb, var(--_danger) 10%, transparent);
  }
  .diff ins {
    text-decoration: underline 2px var(--_success);
    background: color-mix(in srgb, var(--_success) 12%, transparent);
  }
  .history .note {
    font-size: 0.875em;
    color: var(--_muted);
  }
  .confirm {
    display: grid;
    gap: var(--_notes-gap);
    padding: var(--_space);
    border: 1px solid var(--_warning);
    border-radius: calc(var(--_radius) - 2px);
  }
`;

type Scope = Pick<NoteSaver, 'client' | 'crm' | 'clientId'>;

export class NoteHistory {
  isOpen = false;
  versions: NoteVersionSummary[] = [];
  nextCursor: string | null = null;
  /** The version picked in the list, and its text once loaded. */
  selected: number | null = null;
  version: NoteVersion | null = null;
  view: 'changes' | 'text' = 'changes';
  /** Restore was asked for over unsaved text in the editor: the inline confirm shows. */
  confirming = false;
  /** Whether to name who wrote each version (a studio's note). */
  studio = false;
  locale: string | undefined;
  readonly #page: Task<[Scope, string | null], NoteVersionPage>;
  readonly #one: Task<[Scope, number], NoteVersion>;

  /**
   * `saver`: the saver of the note shown (its client, CRM and text); a restore is an edit of
   * it, saved at once.
   */
  constructor(
    readonly host: ReactiveControllerHost & HTMLElement,
    readonly saver: () => NoteSaver | null,
  ) {
    const root = host.shadowRoot;
    if (root && styles.styleSheet) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
    }
    this.#page = action(
      host,
      ([s, cursor], signal) =>
        listNoteVersions(s.client, s.crm, s.clientId, cursor ? { cursor } : {}, { signal }),
      {
        done: (page, [, cursor]) => {
          this.versions = cursor ? [...this.versions, ...page.items] : page.items;
          this.nextCursor = page.nextCursor;
          // The newest version is shown at once.
          if (!cursor && page.items[0]) this.select(page.items[0].version, false);
        },
      },
    );
    this.#one = action(
      host,
      ([s, version], signal) => getNoteVersion(s.client, s.crm, s.clientId, version, { signal }),
      { done: (version) => (this.version = version) },
    );
  }

  #scope(): Scope | null {
    return this.saver();
  }

  /** Opens the view on the first page of versions; focus goes to its heading. */
  open(studio: boolean, locale: string | undefined): void {
    const scope = this.#scope();
    if (!scope) return;
    this.studio = studio;
    this.locale = locale;
    this.isOpen = true;
    this.versions = [];
    this.nextCursor = null;
    this.selected = null;
    this.version = null;
    this.confirming = false;
    void this.#page.run([scope, null]);
    this.#focus('#history-title');
  }

  /** Focuses `selector` in the host once it has rendered. */
  #focus(selector: string) {
    void this.host.updateComplete.then(() =>
      this.host.shadowRoot?.querySelector<HTMLElement>(selector)?.focus(),
    );
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.confirming = false;
    this.#page.abort();
    this.#one.abort();
    this.host.requestUpdate();
    this.#focus('[part~="history-button"]');
  }

  select(version: number, focus = true): void {
    const scope = this.#scope();
    if (!scope) return;
    this.selected = version;
    this.version = null;
    this.confirming = false;
    void this.#one.run([scope, version]);
    if (focus) this.#focus('#version-title');
  }

  #more(): void {
    const scope = this.#scope();
    if (scope && this.nextCursor) void this.#page.run([scope, this.nextCursor]);
  }

  #setView(view: 'changes' | 'text') {
    this.view = view;
    this.host.requestUpdate();
  }

  #when(iso: string) {
    return formatDateTime(iso, this.locale);
  }

  #who(v: NoteVersionSummary) {
    return this.studio ? (v.updatedBy?.name ?? 'Someone no longer in the studio') : '';
  }

  render(saver: NoteSaver) {
    return html`<section
      class="history"
      part="history"
      aria-labelledby="history-title"
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          if (this.confirming) this.#cancelRestore();
          else this.close();
        }
      }}
    >
      <div class="history-head">
        <h3 id="history-title" tabindex="-1">Note history</h3>
        <button type="button" part="history-close" @click=${() => this.close()}>
          Back to the note
        </button>
      </div>
      ${this.#body(saver)}
    </section>`;
  }

  #body(saver: NoteSaver) {
    const pending = this.#page.status === TaskStatus.PENDING;
    if (this.#page.status === TaskStatus.ERROR && !this.versions.length) {
      return this.#error('Could not load the history', this.#page.error, () => this.#retryList());
    }
    if (!this.versions.length) {
      return pending
        ? html`<p class="note" role="status" aria-busy="true">Loading the history…</p>`
        : html`<p class="note" role="status">
            No saved versions yet: each save of the note will be kept here (the last 100).
          </p>`;
    }
    return html`<div class="history-body">
      <div class="versions">
        <h4 id="versions-title">Versions, newest first</h4>
        <ul aria-labelledby="versions-title" part="versions">
          ${/* the newest kept version is the note on the server now */ nothing}
          ${this.versions.map((v, i) => {
            const who = this.#who(v);
            return html`<li>
              <button
                type="button"
                part="version"
                aria-current=${v.version === this.selected ? 'true' : 'false'}
                @click=${() => this.select(v.version)}
              >
                <span>Version ${v.version}${i === 0 ? ' (current)' : ''}</span>
                <span class="meta"
                  ><time datetime=${v.updatedAt}>${this.#when(v.updatedAt)}</time>${
                    who ? ` · ${who}` : ''
                  }</span
                >
              </button>
            </li>`;
          })}
        </ul>
        ${
          this.nextCursor
            ? html`<button type="button" ?disabled=${pending} @click=${() => this.#more()}>
                ${pending ? 'Loading…' : 'Show older versions'}
              </button>`
            : nothing
        }
        ${
          this.#page.status === TaskStatus.ERROR
            ? this.#error('Could not load older versions', this.#page.error, () => this.#more())
            : nothing
        }
      </div>
      ${this.#version(saver)}
    </div>`;
  }

  #retryList() {
    const scope = this.#scope();
    if (scope) void this.#page.run([scope, null]);
  }

  #error(what: string, error: unknown, retry: () => void) {
    return html`<div class="message" part="error" role="alert">
      <p class="error">${what}: ${errorMessage(error)}</p>
      <button type="button" @click=${retry}>Retry</button>
    </div>`;
  }

  #version(saver: NoteSaver) {
    const n = this.selected;
    if (n === null) return nothing;
    const summary = this.versions.find((v) => v.version === n);
    const who = summary && this.#who(summary);
    const v = this.version?.version === n ? this.version : null;
    // One template whatever the state, so that the heading (focused on a pick) stays.
    return html`<div class="version" part="version-view" aria-busy=${v ? 'false' : 'true'}>
      <h4 id="version-title" tabindex="-1">
        Version
        ${n}${summary ? `, saved ${this.#when(summary.updatedAt)}` : ''}${who ? ` by ${who}` : ''}
      </h4>
      ${v ? this.#loaded(v, saver) : this.#loading(n)}
    </div>`;
  }

  #loading(n: number) {
    if (this.#one.status !== TaskStatus.ERROR) {
      return html`<p class="note" role="status">Loading version ${n}…</p>`;
    }
    const error = this.#one.error;
    return error instanceof CrmApiError && error.code === 'not_found'
      ? html`<p class="note" role="alert">
          This version is no longer kept: a note keeps its last 100 versions.
        </p>`
      : this.#error('Could not load this version', error, () => this.select(n, false));
  }

  #loaded(v: NoteVersion, saver: NoteSaver) {
    const same = v.text === saver.text;
    const blocked = !!saver.conflict || saver.overLimit;
    return html`<div class="view-switch" role="group" aria-label="Show">
        <button
          type="button"
          aria-pressed=${this.view === 'changes' ? 'true' : 'false'}
          @click=${() => this.#setView('changes')}
        >
          What changed since
        </button>
        <button
          type="button"
          aria-pressed=${this.view === 'text' ? 'true' : 'false'}
          @click=${() => this.#setView('text')}
        >
          Full text
        </button>
      </div>
      ${this.view === 'text' ? this.#text(v) : this.#diff(v, saver.text, same)}
      <div class="actions">
        <button
          type="button"
          class="primary"
          part="restore"
          ?disabled=${same || blocked}
          aria-describedby="restore-note"
          @click=${() => this.#askRestore(v, saver)}
        >
          Restore this version
        </button>
        <p id="restore-note" class="note">
          ${
            same
              ? 'The current note has this text.'
              : blocked
                ? 'Resolve the conflict in the note first.'
                : 'Restoring saves this text as a new version; the current one stays in the history.'
          }
        </p>
      </div>
      ${this.confirming ? this.#confirm(v) : nothing}`;
  }

  /** Restore at once, or first the confirm when the editor has text no version keeps. */
  #askRestore(v: NoteVersion, saver: NoteSaver) {
    if (!saver.hasUnsavedChanges) return this.#restore(v);
    this.confirming = true;
    this.host.requestUpdate();
    this.#focus('[part~="restore-cancel"]');
  }

  #cancelRestore() {
    this.confirming = false;
    this.host.requestUpdate();
    this.#focus('[part~="restore"]');
  }

  #confirm(v: NoteVersion) {
    return html`<div
      class="confirm"
      part="restore-confirm"
      role="group"
      aria-labelledby="restore-confirm-text"
    >
      <p id="restore-confirm-text" class="warning">
        The note has unsaved changes. Restoring version ${v.version} replaces the text in the
        editor, and your unsaved text is not kept in the history.
      </p>
      <div class="actions">
        <button type="button" part="restore-cancel" @click=${() => this.#cancelRestore()}>
          Keep my unsaved text
        </button>
        <button type="button" part="restore-confirmed" @click=${() => this.#restore(v)}>
          Replace it with version ${v.version}
        </button>
      </div>
    </div>`;
  }

  /** An ordinary edit of the note, saved at once (with `If-Match`, as every save). */
  #restore(v: NoteVersion) {
    this.isOpen = false;
    this.confirming = false;
    this.#page.abort();
    this.#one.abort();
    const saver = this.saver();
    saver?.input(v.text);
    saver?.saveNow();
    this.host.requestUpdate();
    this.#focus('#note');
  }

  #text(v: NoteVersion) {
    // The text keeps its lines and spaces in .pre, apart from the template's indentation.
    const text = v.text || html`<span class="note">(empty)</span>`;
    return html`<div
      class="version-text"
      part="version-text"
      role="region"
      tabindex="0"
      aria-label=${`Text of version ${v.version}`}
    >
      <span class="pre">${text}</span>
    </div>`;
  }

  #diff(v: NoteVersion, current: string, same: boolean) {
    if (same) {
      return html`<p class="note" part="diff">No changes: the current note has the same text.</p>`;
    }
    const parts = wordDiff(v.text, current);
    const count = (kind: 'removed' | 'added') =>
      parts
        .filter((p) => p.kind === kind)
        .reduce((n, p) => n + (p.text.match(/\S+/g)?.length ?? 0), 0);
    const [removed, added] = [count('removed'), count('added')];
    const words = (n: number) => `${n} ${n === 1 ? 'word' : 'words'}`;
    const marked = (tag: 'del' | 'ins', what: string, text: string) =>
      tag === 'del'
        ? html`<del
            ><span class="visually-hidden">[${what}: </span>${text}<span class="visually-hidden"
              >]</span
            ></del
          >`
        : html`<ins
            ><span class="visually-hidden">[${what}: </span>${text}<span class="visually-hidden"
              >]</span
            ></ins
          >`;
    const body = parts.map((p) =>
      p.kind === 'same'
        ? p.text
        : p.kind === 'removed'
          ? marked('del', 'removed', p.text)
          : marked('ins', 'added', p.text),
    );
    const summary = [
      removed ? `${words(removed)} removed (struck through)` : '',
      added ? `${words(added)} added (underlined)` : '',
    ].filter(Boolean);
    return html`<p class="note" id="diff-summary">
        Since version ${v.version}: ${summary.join(', ') || 'only spaces or line breaks changed'}.
      </p>
      <div
        class="diff"
        part="diff"
        role="region"
        tabindex="0"
        aria-label=${`Changes from version ${v.version} to the current note`}
        aria-describedby="diff-summary"
      >
        <span class="pre">${body}</span>
      </div>`;
  }
}
