/**
 * "Request merge" of `<mm-client-card>`: a modal `<dialog>` to find the other client of the
 * same CRM (a search over the clients list, this client excluded), an optional reason and a
 * confirmation. The request is recorded for support; no data changes.
 */
import { TaskStatus, type Task } from '@lit/task';
import { css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { ClientDetail, ClientListPage, ClientSummary } from '../../api/schemas.js';
import { action } from '../../shared/action.js';
import { actionError, CardDialog, type CardHost, type CardScope } from './card-shared.js';

export const MERGE_REASON_MAX = 1000;
const SEARCH_DELAY_MS = 250;

export interface MergeOptions {
  detail: () => ClientDetail | undefined;
  onRequested: (other: ClientSummary) => void;
  opener: () => HTMLElement | null | undefined;
}

/** Its own styles, adopted with the chunk (not in the card's, in the main bundle). */
const styles = css`
  fieldset {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .candidates {
    list-style: none;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
`;

export class MergeDialog extends CardDialog {
  query = '';
  reason = '';
  results: ClientSummary[] | undefined;
  searchError = '';
  selected: ClientSummary | undefined;
  error = '';
  submitted = false;
  #timer?: ReturnType<typeof setTimeout>;
  readonly #find: Task<[CardScope, string | undefined], ClientListPage>;
  readonly #send: Task<[CardScope, ClientSummary, string], unknown>;

  constructor(
    host: CardHost,
    private readonly options: MergeOptions,
  ) {
    super(host, 'merge-dialog');
    const root = host.shadowRoot;
    if (root && styles.styleSheet) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, styles.styleSheet];
    }
    this.#find = action(
      host,
      ([scope, q], signal) => scope.client.listClients(scope.crm, { q, limit: 10 }, { signal }),
      {
        // Not this client, and not an erased one: there is nothing left to merge.
        done: (page, [scope]) =>
          (this.results = page.items.filter((c) => c.id !== scope.clientId && !c.erased)),
        failed: (error) => {
          this.results = [];
          this.searchError = `Could not search the clients. ${actionError(error, 'merge')}`;
        },
      },
    );
    this.#send = action(
      host,
      ([scope, other, reason], signal) =>
        scope.client.requestMerge(
          scope.crm,
          { clientIds: [scope.clientId, other.id], ...(reason ? { reason } : {}) },
          { signal },
        ),
      {
        done: (_, [, other]) => {
          this.reset();
          this.options.onRequested(other);
        },
        failed: (error) => (this.error = `Merge not requested. ${actionError(error, 'merge')}`),
      },
    );
  }

  get #searching(): boolean {
    return this.#find.status === TaskStatus.PENDING;
  }

  get #sending(): boolean {
    return this.#send.status === TaskStatus.PENDING;
  }

  override hostDisconnected(): void {
    this.#cancelSearch();
    this.#send.abort();
  }

  reset(): void {
    this.#cancelSearch();
    this.#send.abort();
    this.query = '';
    this.reason = '';
    this.results = undefined;
    this.searchError = '';
    this.selected = undefined;
    this.error = '';
    this.submitted = false;
    this.close();
  }

  open(scope: CardScope): void {
    this.error = '';
    if (!this.results) this.#search(scope);
    this.show();
  }

  #cancelSearch() {
    clearTimeout(this.#timer);
    this.#find.abort();
  }

  #search(scope: CardScope) {
    clearTimeout(this.#timer);
    this.searchError = '';
    void this.#find.run([scope, this.query.trim() || undefined]);
  }

  async #submit(event: SubmitEvent, scope: CardScope | undefined) {
    event.preventDefault();
    if (!scope || this.#sending) return;
    this.submitted = true;
    const other = this.selected;
    if (!other) {
      this.host.requestUpdate();
      await this.host.updateComplete;
      this.dialog?.querySelector<HTMLElement>('#merge-search')?.focus();
      return;
    }
    this.error = '';
    void this.#send.run([scope, other, this.reason.trim()]);
  }

  render(scope: CardScope | undefined) {
    const detail = this.options.detail();
    const name = detail?.name ?? 'this client';
    const results = this.results ?? [];
    const chooseMsg = this.submitted && !this.selected ? 'Choose the other client.' : '';
    const reasonOver = this.reason.trim().length > MERGE_REASON_MAX;
    return html`<dialog
      id="merge-dialog"
      part="dialog"
      aria-labelledby="merge-title"
      aria-describedby="merge-about"
      @close=${() => this.options.opener()?.focus()}
    >
      <form novalidate @submit=${(e: SubmitEvent) => this.#submit(e, scope)}>
        <h2 id="merge-title">Request a merge</h2>
        <p id="merge-about" class="muted small">
          If ${name} also booked under another email, ask support to merge the two clients. Nothing
          changes until support has reviewed the request.
        </p>
        <div class="field">
          <label for="merge-search">Find the other client</label>
          <input
            id="merge-search"
            type="search"
            autofocus
            autocomplete="off"
            placeholder="Name or email"
            maxlength="200"
            .value=${live(this.query)}
            aria-describedby="merge-choose-msg"
            aria-controls="merge-results"
            @input=${(e: Event) => {
              this.query = (e.target as HTMLInputElement).value;
              clearTimeout(this.#timer);
              if (scope) this.#timer = setTimeout(() => this.#search(scope), SEARCH_DELAY_MS);
            }}
            @keydown=${(e: KeyboardEvent) => {
              // Enter searches now instead of submitting the form.
              if (e.key === 'Enter' && !e.isComposing) {
                e.preventDefault();
                if (scope) this.#search(scope);
              }
            }}
          />
        </div>
        <fieldset id="merge-results" aria-busy=${this.#searching ? 'true' : 'false'}>
          <legend>Other client</legend>
          ${
            results.length
              ? html`<ul class="candidates">
                  ${results.map(
                    (c) =>
                      html`<li>
                        <label class="check">
                          <span class="control"
                            ><input
                              type="radio"
                              name="merge-other"
                              .value=${c.id}
                              .checked=${live(this.selected?.id === c.id)}
                              @change=${() => {
                                this.selected = c;
                                this.host.requestUpdate();
                              }}
                          /></span>
                          <span class="choice"
                            ><span class="choice-name">${c.name}</span>
                            <span class="muted small">${c.email ?? ''}</span></span
                          >
                        </label>
                      </li>`,
                  )}
                </ul>`
              : nothing
          }
          <p class="muted small" role="status">
            ${
              this.#searching
                ? 'Searching…'
                : this.searchError
                  ? ''
                  : this.results && !results.length
                    ? 'No other client matches.'
                    : ''
            }
          </p>
          ${this.searchError ? html`<p class="error small">${this.searchError}</p>` : nothing}
          ${
            this.selected && !results.some((c) => c.id === this.selected?.id)
              ? html`<p class="small">
                  Chosen:
                  ${this.selected.name}${this.selected.email ? ` (${this.selected.email})` : ''}
                </p>`
              : nothing
          }
          <p id="merge-choose-msg" class="error small">${chooseMsg}</p>
        </fieldset>
        <div class="field">
          <label for="merge-reason">Reason (optional)</label>
          <textarea
            id="merge-reason"
            rows="3"
            .value=${live(this.reason)}
            aria-invalid=${reasonOver ? 'true' : 'false'}
            aria-describedby="merge-reason-count"
            @input=${(e: Event) => {
              this.reason = (e.target as HTMLTextAreaElement).value;
              this.host.requestUpdate();
            }}
          ></textarea>
          <span id="merge-reason-count" class="counter muted small"
            >${this.reason.trim().length} / ${MERGE_REASON_MAX}
            characters${reasonOver ? ': shorten the reason.' : ''}</span
          >
        </div>
        <p class="error" role="alert">${this.error}</p>
        <div class="dialog-buttons">
          <button type="button" @click=${() => this.close()}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${this.#sending || !scope || reasonOver}>
            ${this.#sending ? 'Requesting…' : 'Request merge'}
          </button>
        </div>
      </form>
    </dialog>`;
  }
}
