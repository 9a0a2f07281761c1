/**
 * The tags editor of `<mm-client-card>`: chips with remove buttons, an input with the CRM's
 * tags as suggestions, Enter to add. Each change is saved at once (`PUT .../tags`). The
 * limits (30 tags, 40 characters, no duplicates ignoring case) are explained while typing,
 * before anything is sent; a refusal keeps the user's input and shows the server's reason.
 *
 * Loaded by the card with its first client (in the standalone bundle, a chunk of its own beside
 * `mm-crm.js`): its styles come with it, adopted into the card's shadow root.
 */
import { TaskStatus, type Task } from '@lit/task';
import { css, html, type ReactiveController } from 'lit';
import { live } from 'lit/directives/live.js';
import { LIMITS, type ClientDetail, type TagsResponse } from '../../api/schemas.js';
import { action } from '../../shared/action.js';
import { emit } from '../../shared/emit.js';
import {
  actionError,
  charCount,
  hasControlChars,
  type CardHost,
  type CardScope,
} from './card-shared.js';

const styles = css`
  .tag-list {
    list-style: none;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .tag {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    padding: 0 2px 0 10px;
    border-radius: 999px;
    background: var(--mm-client-card-tag-bg, var(--_surface));
    color: var(--mm-client-card-tag-fg, var(--_fg));
    border: 1px solid var(--_border);
    max-width: 100%;
    overflow-wrap: anywhere;
  }
  .tag button {
    min-height: 24px;
    min-width: 24px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    line-height: 1;
  }
  .tag button:hover:not(:disabled) {
    background: var(--_border);
  }
  .tag-add {
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .tag-row {
    display: flex;
    gap: var(--_space);
  }
  .tag-row input {
    flex: 1 1 auto;
    min-width: 0;
    max-width: 24em;
  }
`;

/** A save: the client, their tags after it, what it does (for the live region), and whether the input empties. */
type TagsSave = [scope: CardScope, tags: string[], done: string, clearInput: boolean];

/** Why `raw` cannot be added to `tags` now, or undefined when it can. */
export function tagProblem(raw: string, tags: readonly string[]): string | undefined {
  const tag = raw.trim();
  if (tags.length >= LIMITS.tagsMaxCount) {
    return `This client has ${LIMITS.tagsMaxCount} tags, the most allowed: remove one to add another.`;
  }
  if (!tag) return undefined;
  // The counter next to the input shows by how much: the message stays the same while typing.
  if (charCount(tag) > LIMITS.tagMaxChars) {
    return `A tag is at most ${LIMITS.tagMaxChars} characters: shorten this one.`;
  }
  if (hasControlChars(tag)) return 'A tag cannot contain line breaks or other control characters.';
  const same = tags.find((t) => t.toLocaleLowerCase() === tag.toLocaleLowerCase());
  if (same !== undefined) return `“${same}” is already a tag of this client.`;
  return undefined;
}

export class TagsEditor implements ReactiveController {
  /** The tags as the server has them. */
  tags: string[] = [];
  /** What the user is typing. */
  input = '';
  /** The last failure (kept until the next change). */
  error = '';
  /** What the last change did, for the live region. */
  status = '';
  /** The CRM's tags, loaded when the input is first focused. */
  suggestions: string[] | undefined;
  #clientId?: string;
  #suggestionsFor?: string;
  readonly #save: Task<TagsSave, TagsResponse>;

  constructor(private readonly host: CardHost) {
    host.addController(this);
    const root = host.shadowRoot;
    if (root && styles.styleSheet) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
    }
    this.#save = action(
      host,
      ([scope, tags], signal) => scope.client.putTags(scope.crm, scope.clientId, tags, { signal }),
      {
        done: ({ tags }, [scope, , done, clearInput]) => {
          this.tags = tags;
          this.status = done;
          // The input empties with the save, before mm-tags-changed is heard.
          if (clearInput) this.input = '';
          // New tags become suggestions for the next client.
          this.#suggestionsFor = undefined;
          emit(this.host, 'mm-tags-changed', { clientId: scope.clientId, tags: [...tags] });
        },
        failed: (error) => {
          this.status = '';
          this.error = `Tags not saved. ${actionError(error, 'tags')}`;
        },
      },
    );
  }

  get #saving(): boolean {
    return this.#save.status === TaskStatus.PENDING;
  }

  hostDisconnected(): void {
    this.#save.abort();
  }

  /** Takes the tags of a freshly loaded client; another client starts a clean editor. */
  sync(detail: ClientDetail): void {
    const other = detail.id !== this.#clientId;
    if (other) {
      this.#save.abort();
      this.#clientId = detail.id;
      this.input = '';
      this.error = '';
      this.status = '';
    }
    if (other || !this.#saving) this.tags = [...detail.tags];
  }

  async loadSuggestions(scope: CardScope): Promise<void> {
    const key = `${scope.crm}`;
    if (this.#suggestionsFor === key) return;
    this.#suggestionsFor = key;
    try {
      const list = await scope.client.listTags(scope.crm);
      this.suggestions = list.map((t) => t.tag);
      this.host.requestUpdate();
    } catch {
      // Suggestions are a convenience: without them the input still works.
      this.#suggestionsFor = undefined;
    }
  }

  async add(scope: CardScope): Promise<void> {
    if (this.#saving) return;
    const tag = this.input.trim();
    if (!tag) {
      this.error = 'Type a tag first.';
      this.host.requestUpdate();
      return;
    }
    const problem = tagProblem(tag, this.tags);
    if (problem) {
      this.error = problem;
      this.host.requestUpdate();
      return;
    }
    await this.#put([scope, [...this.tags, tag], `Added tag “${tag}”.`, true]);
  }

  async remove(scope: CardScope, tag: string, index: number): Promise<void> {
    if (this.#saving) return;
    const next = this.tags.filter((t) => t !== tag);
    if (await this.#put([scope, next, `Removed tag “${tag}”.`, false])) {
      await this.host.updateComplete;
      // Focus stays in the editor: on the chip that took this one's place, else the input.
      const root = this.host.shadowRoot;
      const buttons = root?.querySelectorAll<HTMLButtonElement>('.tag button') ?? [];
      (
        buttons[Math.min(index, buttons.length - 1)] ??
        root?.querySelector<HTMLElement>('#tag-input')
      )?.focus();
    }
  }

  /** True when the server took the tags. */
  async #put(save: TagsSave): Promise<boolean> {
    this.error = '';
    this.status = 'Saving tags…';
    await this.#save.run(save);
    return this.#save.status === TaskStatus.COMPLETE;
  }

  /** `disabledReason`: why the client's tags cannot be edited (an erased client). */
  render(scope: CardScope | undefined, disabledReason?: string) {
    const disabled = !!disabledReason || !scope;
    const full = this.tags.length >= LIMITS.tagsMaxCount;
    const problem = tagProblem(this.input, this.tags);
    const message = this.error || problem;
    const n = charCount(this.input);
    const taken = new Set(this.tags.map((t) => t.toLocaleLowerCase()));
    const suggestions = (this.suggestions ?? []).filter((t) => !taken.has(t.toLocaleLowerCase()));
    return html`<section class="tags" part="tags" aria-labelledby="tags-title">
      <h3 id="tags-title">Tags</h3>
      ${
        this.tags.length
          ? html`<ul class="tag-list" aria-labelledby="tags-title">
              ${this.tags.map(
                (tag, i) =>
                  html`<li class="tag" part="tag">
                    <span>${tag}</span>
                    <button
                      type="button"
                      aria-label=${`Remove tag ${tag}`}
                      title=${`Remove tag ${tag}`}
                      ?disabled=${disabled}
                      @click=${() => scope && void this.remove(scope, tag, i)}
                    >
                      <span aria-hidden="true">×</span>
                    </button>
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">No tags yet.</p>`
      }
      ${
        disabledReason
          ? html`<p class="muted">${disabledReason}</p>`
          : html`<div class="tag-add">
              <label for="tag-input">Add a tag</label>
              <div class="tag-row">
                <input
                  id="tag-input"
                  list="tag-suggestions"
                  autocomplete="off"
                  enterkeyhint="done"
                  .value=${live(this.input)}
                  ?disabled=${disabled}
                  aria-invalid=${message ? 'true' : 'false'}
                  aria-describedby="tag-limits tag-message"
                  @focus=${() => scope && void this.loadSuggestions(scope)}
                  @input=${(e: InputEvent) => {
                    this.input = (e.target as HTMLInputElement).value;
                    this.error = '';
                    this.host.requestUpdate();
                  }}
                  @keydown=${(e: KeyboardEvent) => {
                    if (e.key === 'Enter' && !e.isComposing) {
                      e.preventDefault();
                      if (scope) void this.add(scope);
                    }
                  }}
                />
                <button
                  type="button"
                  ?disabled=${disabled || this.#saving || !!problem || !this.input.trim()}
                  aria-describedby="tag-message"
                  @click=${() => scope && void this.add(scope)}
                >
                  Add
                </button>
              </div>
              <datalist id="tag-suggestions">
                ${suggestions.map((t) => html`<option value=${t}></option>`)}
              </datalist>
              <p id="tag-limits" class="muted small">
                <span class=${full ? 'warning' : ''}
                  >${this.tags.length} of ${LIMITS.tagsMaxCount} tags</span
                >
                · ${n} / ${LIMITS.tagMaxChars} characters
              </p>
              <p id="tag-message" class="error small" role="alert">${message ?? ''}</p>
            </div>`
      }
      <p class="visually-hidden" role="status">${this.status}</p>
    </section>`;
  }
}
