import { initialState, Task, TaskStatus } from '@lit/task';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CrmClient } from '../../api/client.js';
import { isAbortError } from '../../api/errors.js';
import {
  LIMITS,
  type ClientListPage,
  type ClientListParams,
  type ClientSort,
  type ClientStatus,
  type ClientSummary,
  type CrmSummary,
  type SortOrder,
  type TagCount,
  type UserRef,
} from '../../api/schemas.js';
import { CrmElement, crmInfo } from '../../shared/crm-element.js';
import type { MmEventMap } from '../../events.js';
import { emit } from '../../shared/emit.js';
import {
  formatCount,
  formatDate,
  formatMoney,
  formatRelative,
  safeLocale,
} from '../../shared/format.js';
import { action } from '../../shared/action.js';
import { CursorPager } from '../../shared/cursor-pager.js';
import { hostStyles } from '../../shared/host-styles.js';
import { reportError } from '../../shared/report-error.js';
import { avatar, errorMessage, errorView, STATUS_LABEL, statusPill } from '../../shared/ui.js';
import { styles } from './client-list.styles.js';
import { RowWindow } from './row-window.js';

/** Milliseconds between the last keystroke in the search box and the request. */
export const SEARCH_DEBOUNCE_MS = 250;
const SORTS: readonly ClientSort[] = ['recent', 'name', 'bookings', 'spend', 'firstBooking'];
const STATUSES: readonly ClientStatus[] = ['regular', 'active', 'lapsed'];
/** The order a sort starts in: what a user means by "sort by spend" is biggest first. */
const DEFAULT_ORDER: Record<ClientSort, SortOrder> = {
  recent: 'desc',
  name: 'asc',
  bookings: 'desc',
  spend: 'desc',
  firstBooking: 'asc',
};
const SORT_LABEL: Record<ClientSort, string> = {
  recent: 'Most recent booking',
  name: 'Name',
  bookings: 'Total bookings',
  spend: 'Lifetime spend',
  firstBooking: 'First booking',
};

interface CrmFacts {
  info: CrmSummary;
  tags: TagCount[];
  teachers: UserRef[];
}

/** What the list asks the API for: the filters, the search and the sort. */
export type ClientListFilters = Omit<ClientListParams, 'cursor' | 'limit'>;

/**
 * The clients dashboard: every client of a CRM with search, filters, sortable columns and
 * CSV export, loaded page by page as the user scrolls and virtualised so that the DOM stays
 * small however many clients there are.
 *
 * The rows form an ARIA grid with row focus: one row is in the tab order (roving tabindex);
 * arrows, Page Up/Down and Home/End move, Enter or a click selects.
 *
 * Listens for `mm-tags-changed` in its document (from `<mm-client-card>`) to show the new
 * tags in the row and in the tag filter.
 *
 * @summary The clients list: search, filters, sort, infinite virtualised rows, CSV export.
 *
 * @fires mm-client-select - `{clientId}`: a row was chosen (click or Enter). `selectedClientId` is already set.
 * @fires mm-error - `{code, status, detail}`: a request the user is waiting for failed.
 * @fires mm-auth-required - The token was refused even after asking `getToken` again.
 *
 * @csspart toolbar - The bar with the search box, the filters and the export button.
 * @csspart search - The search input.
 * @csspart filters - The filter controls (status, growing, tag, teacher, sort).
 * @csspart export - The "Export CSV" button.
 * @csspart count - The number of clients found.
 * @csspart grid - The grid of clients (header and rows).
 * @csspart header - The column header row group.
 * @csspart row - A client row.
 * @csspart cell - A cell of a client row.
 * @csspart avatar - A client's photo or initials.
 * @csspart pill - A status (or "Growing") pill.
 * @csspart tag - A tag in a row.
 * @csspart alert-marker - The ⚠ after the name of a client with alerts (their texts are its description).
 * @csspart chosen-tags - The tags chosen in the tag filter, under the filters.
 * @csspart chosen-tag - One chosen tag: a button that removes it from the filter.
 * @csspart empty - The empty state.
 * @csspart error - The error state (with its Retry button).
 *
 * @cssprop --mm-client-list-height - Height of the element; rows scroll inside it (default 600px).
 * @cssprop --mm-client-list-row-height - Height of one row, fixed (default 56px).
 * @cssprop --mm-client-list-bg - Background (default `--mm-color-bg`).
 * @cssprop --mm-client-list-border-color - Borders and row separators (default `--mm-color-border`).
 * @cssprop --mm-client-list-header-bg - Column header background (default `--mm-color-surface`).
 * @cssprop --mm-client-list-row-hover-bg - Row under the pointer (default `--mm-color-surface`).
 * @cssprop --mm-client-list-row-selected-bg - The selected row (default a tint of `--mm-color-accent`).
 * @cssprop --mm-client-list-tag-bg - Tag chips (default `--mm-color-surface`).
 * @cssprop --mm-client-list-columns - `grid-template-columns` of the six mentor columns.
 * @cssprop --mm-client-list-studio-columns - `grid-template-columns` of the seven studio columns.
 */
export class MmClientList extends CrmElement {
  /** Sort key: `recent` (default), `name`, `bookings`, `spend` or `firstBooking`. */
  @property() sort: ClientSort = 'recent';

  /** `asc` or `desc`; unset, each sort uses its natural order (recent first, A to Z, biggest first). */
  @property() order?: SortOrder;

  /** Clients per page request (1-200). */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 100;

  /** The chosen client, set before `mm-client-select` is fired. Followers (`for=`) read it. */
  @property({ attribute: false }) selectedClientId: string | null = null;

  /** The text in the search box (applied after a short pause in typing). */
  @state() private searchText = '';
  @state() private q = '';
  @state() private statuses: ClientStatus[] = [];
  @state() private growing = false;
  /** Tags chosen in the tag filter: clients with all of them are shown. */
  @state() private tags: string[] = [];
  @state() private teacher = '';

  @state() private total = 0;
  @state() private exportError: unknown;

  /** The loaded clients, in order, and the next page. */
  #pages = new CursorPager<ClientSummary, ClientListPage>(
    this,
    (cursor, signal) => {
      const { client, crm } = this.crmConfig!;
      return client!.listClients(
        crm,
        { ...this.currentFilters, limit: this.#limit, cursor },
        { signal },
      );
    },
    (page) => (this.total = page.total),
  );

  /** Loaded clients, in order. */
  get #rows(): ClientSummary[] {
    return this.#pages.items;
  }

  #export = action(
    this,
    async ([client, crm, filters]: [CrmClient, string, ClientListFilters], signal) => {
      const blob = await client.exportClientsCsv(crm, filters, { signal });
      this.#download(blob, `clients-${localDate(new Date())}.csv`);
    },
    { failed: (error) => (this.exportError = error) },
  );

  #debounce?: ReturnType<typeof setTimeout>;
  #lastCrm?: string;
  #root?: Document | ShadowRoot;

  /**
   * The CRM's kind (it decides the columns), known from the cached `/v1/me` before the tags
   * and teachers arrive: rows need not wait for the tag counts (an O(clients) query).
   */
  @state() private kind?: CrmSummary['kind'];

  #facts = new Task(this, {
    task: async ([client, crm], { signal }): Promise<CrmFacts | typeof initialState> => {
      if (!client || !crm) return initialState;
      const info = await crmInfo(client, crm, signal);
      this.kind = info.kind;
      const [tags, teachers] = await Promise.all([
        client.listTags(crm, { signal }),
        info.kind === 'studio' ? client.listTeachers(crm, { signal }) : Promise.resolve([]),
      ]);
      return { info, tags, teachers };
    },
    args: () => [this.crmConfig?.client ?? null, this.crmConfig?.crm] as const,
    onError: (error) => reportError(this, error),
  });

  #list = new Task(this, {
    task: async ([client, crm, , filters, limit], { signal }) => {
      // The rows shown stay until the new ones arrive; a next page of theirs is not wanted.
      this.#pages.abort();
      if (!client || !crm) {
        this.#reset();
        return initialState;
      }
      try {
        const page = await client.listClients(crm, { ...filters, limit }, { signal });
        signal.throwIfAborted();
        this.#window.reset();
        this.#pages.start(page);
        this.total = page.total;
        return page.total;
      } catch (error) {
        if (!isAbortError(error)) {
          this.#reset();
          reportError(this, error);
        }
        throw error;
      }
    },
    args: () => {
      const filters = this.currentFilters;
      return [
        this.crmConfig?.client ?? null,
        this.crmConfig?.crm,
        JSON.stringify(filters),
        filters,
        this.#limit,
      ] as const;
    },
    // The filters object is rebuilt on every update; its JSON key says whether it changed.
    argsEqual: (a, b) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[4] === b[4],
  });

  /** The rows near the viewport, row focus and the grid's keys. */
  #window = new RowWindow(this, {
    count: () => this.#rows.length,
    more: () => !!this.#pages.next,
    idAt: (index) => this.#rows[index]?.id,
    activate: (index) => this.#select(index),
    nearEnd: () => this.#loadMore(),
  });

  get #limit(): number {
    return Math.min(LIMITS.pageMax, Math.max(LIMITS.pageMin, Math.trunc(this.pageSize) || 100));
  }

  /** The query in force (search, filters, sort): what the rows and the CSV export show. */
  get currentFilters(): ClientListFilters {
    const sort = SORTS.includes(this.sort) ? this.sort : 'recent';
    const order = this.order === 'asc' || this.order === 'desc' ? this.order : DEFAULT_ORDER[sort];
    const filters: ClientListFilters = { sort, order };
    if (this.q) filters.q = this.q;
    if (this.statuses.length) filters.status = [...this.statuses];
    if (this.growing) filters.segment = 'growing';
    if (this.tags.length) filters.tag = [...this.tags];
    if (this.teacher) filters.teacher = this.teacher;
    return filters;
  }

  /** Reloads the CRM's tags and teachers and the list from its first page. */
  refresh(): void {
    void this.#facts.run();
    void this.#list.run();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const root = this.getRootNode();
    if (root instanceof Document || root instanceof ShadowRoot) {
      this.#root = root;
      root.addEventListener('mm-tags-changed', this.#onTagsChanged);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#root?.removeEventListener('mm-tags-changed', this.#onTagsChanged);
    this.#root = undefined;
    clearTimeout(this.#debounce);
    this.#export.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const crm = this.crmConfig?.crm;
    if (this.#lastCrm !== undefined && crm !== this.#lastCrm) {
      // Another CRM: its filters' tag and teacher ids and the selection mean nothing there.
      this.tags = [];
      this.teacher = '';
      this.selectedClientId = null;
      this.kind = undefined;
    }
    this.#lastCrm = crm;
  }

  // -- state changes -------------------------------------------------------------------------

  #reset() {
    this.#window.reset();
    this.#pages.start();
    this.total = 0;
  }

  /** The next page, once the first is in and while the last one did not fail. */
  #loadMore() {
    if (this.crmConfig?.client && !this.#pages.error && this.#list.status === TaskStatus.COMPLETE) {
      void this.#pages.loadMore();
    }
  }

  /** A card on the page changed a client's tags: show them, and refresh the tag filter. */
  #onTagsChanged = (event: Event) => {
    const { clientId, tags } = (event as MmEventMap['mm-tags-changed']).detail;
    const rows = [...this.#rows];
    const index = rows.findIndex((r) => r.id === clientId);
    if (index < 0) return;
    rows[index] = { ...rows[index]!, tags };
    this.#pages.items = rows;
    this.requestUpdate();
    void this.#facts.run();
  };

  #retryPage() {
    void this.#pages.loadMore();
  }

  #retry() {
    this.refresh();
  }

  #select(index: number) {
    const client = this.#rows[index]!;
    this.selectedClientId = client.id;
    emit(this, 'mm-client-select', { clientId: client.id });
  }

  #onSearchInput(e: InputEvent) {
    this.searchText = (e.target as HTMLInputElement).value;
    clearTimeout(this.#debounce);
    this.#debounce = setTimeout(() => this.#applySearch(), SEARCH_DEBOUNCE_MS);
  }

  #onSearchKeydown(e: KeyboardEvent) {
    if (e.key === 'Enter') {
      e.preventDefault();
      this.#applySearch();
    }
  }

  #applySearch() {
    clearTimeout(this.#debounce);
    this.q = this.searchText.trim().slice(0, LIMITS.searchMaxChars);
  }

  #onStatusChange(e: Event) {
    const input = e.target as HTMLInputElement;
    const status = input.value as ClientStatus;
    const set = new Set(this.statuses);
    if (input.checked) set.add(status);
    else set.delete(status);
    this.statuses = STATUSES.filter((s) => set.has(s));
  }

  #clearFilters() {
    clearTimeout(this.#debounce);
    this.searchText = '';
    this.q = '';
    this.statuses = [];
    this.growing = false;
    this.tags = [];
    this.teacher = '';
  }

  /** Tags compare case-insensitively, as the server does. */
  #hasTag(tag: string): boolean {
    return this.tags.some((t) => t.toLowerCase() === tag.toLowerCase());
  }

  #onTagChoice(e: Event) {
    const select = e.target as HTMLSelectElement;
    const tag = select.value;
    select.value = '';
    if (tag && !this.#hasTag(tag)) this.tags = [...this.tags, tag];
  }

  /** Removes a chosen tag; focus goes to the tag select (the chip is gone). */
  async #removeTag(tag: string) {
    this.tags = this.tags.filter((t) => t !== tag);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('select[name="tag"]')?.focus();
  }

  get #filtered(): boolean {
    return !!(this.q || this.statuses.length || this.growing || this.tags.length || this.teacher);
  }

  #sortBy(sort: ClientSort) {
    const current = this.currentFilters;
    if (current.sort === sort) {
      this.order = current.order === 'asc' ? 'desc' : 'asc';
    } else {
      this.sort = sort;
      this.order = undefined;
    }
  }

  // -- export --------------------------------------------------------------------------------

  #exportCsv() {
    const config = this.crmConfig;
    if (!config?.client || this.#exporting) return;
    this.exportError = undefined;
    void this.#export.run([config.client, config.crm, this.currentFilters]);
  }

  get #exporting(): boolean {
    return this.#export.status === TaskStatus.PENDING;
  }

  /**
   * Saves the file through a temporary `<a download>` in the shadow root. The object URL
   * stays valid for a minute, long enough for the browser (or a test) to read it.
   */
  #download(blob: Blob, filename: string) {
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = filename;
    a.hidden = true;
    this.renderRoot.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  // -- rendering -----------------------------------------------------------------------------

  override render() {
    const config = this.crmConfig;
    if (!config) {
      return html`<div class="frame">
        <div class="message muted" part="empty">
          <p>No CRM configured: set <code>api-base</code> and <code>crm</code>.</p>
        </div>
      </div>`;
    }
    if (!config.client) {
      return html`<div class="frame">
        <div class="message muted" part="empty"><p>${errorMessage({ code: 'no_token' })}</p></div>
      </div>`;
    }
    const facts = this.#facts.value;
    const studio = (this.kind ?? facts?.info.kind) === 'studio';
    return html`<div class="frame ${studio ? 'studio' : ''}">
      ${this.#renderToolbar(facts)} ${this.#renderSummary()}
      <div class="main" aria-busy=${this.#busy ? 'true' : 'false'}>${this.#renderMain(studio)}</div>
      ${
        this.#pages.error
          ? html`<div class="page-error" part="error" role="alert">
              <p class="error">Could not load more clients. ${errorMessage(this.#pages.error)}</p>
              <button type="button" @click=${this.#retryPage}>Retry</button>
            </div>`
          : nothing
      }
    </div>`;
  }

  get #busy(): boolean {
    return this.#list.status === TaskStatus.PENDING || this.#facts.status === TaskStatus.PENDING;
  }

  #renderToolbar(facts: CrmFacts | undefined) {
    const filters = this.currentFilters;
    const tags = facts?.tags ?? [];
    const teachers = facts?.teachers ?? [];
    return html`<div class="toolbar" part="toolbar">
      <label class="field search-field">
        <span>Search</span>
        <input
          part="search"
          type="search"
          placeholder="Name or email"
          autocomplete="off"
          spellcheck="false"
          maxlength=${LIMITS.searchMaxChars}
          .value=${this.searchText}
          @input=${this.#onSearchInput}
          @keydown=${this.#onSearchKeydown}
        />
      </label>
      <div class="filters" part="filters">
        <fieldset>
          <legend>Status</legend>
          <div class="checks">
            ${STATUSES.map(
              (s) =>
                html`<label class="check">
                  <input
                    type="checkbox"
                    name="status"
                    .value=${s}
                    .checked=${this.statuses.includes(s)}
                    @change=${this.#onStatusChange}
                  />${STATUS_LABEL[s]}
                </label>`,
            )}
            <label class="check" title="3 to 5 bookings: about to become a regular">
              <input
                type="checkbox"
                name="growing"
                .checked=${this.growing}
                @change=${(e: Event) => (this.growing = (e.target as HTMLInputElement).checked)}
              />Growing
            </label>
          </div>
        </fieldset>
        <label class="field">
          <span>Tag</span>
          <select name="tag" .value=${''} @change=${this.#onTagChoice}>
            <option value="">${this.tags.length ? 'Add a tag…' : 'Any tag'}</option>
            ${tags
              .filter((t) => !this.#hasTag(t.tag))
              .map((t) => html`<option value=${t.tag}>${t.tag} (${t.count})</option>`)}
          </select>
        </label>
        ${
          facts?.info.kind === 'studio'
            ? html`<label class="field">
                <span>Teacher</span>
                <select
                  name="teacher"
                  .value=${this.teacher}
                  @change=${(e: Event) => (this.teacher = (e.target as HTMLSelectElement).value)}
                >
                  <option value="" ?selected=${!this.teacher}>Any teacher</option>
                  ${teachers.map(
                    (t) =>
                      html`<option value=${t.id} ?selected=${t.id === this.teacher}>
                        ${t.name}
                      </option>`,
                  )}
                </select>
              </label>`
            : nothing
        }
        <label class="field">
          <span>Sort by</span>
          <select
            name="sort"
            .value=${filters.sort ?? 'recent'}
            @change=${(e: Event) => {
              this.sort = (e.target as HTMLSelectElement).value as ClientSort;
              this.order = undefined;
            }}
          >
            ${SORTS.map(
              (s) =>
                html`<option value=${s} ?selected=${s === filters.sort}>${SORT_LABEL[s]}</option>`,
            )}
          </select>
        </label>
      </div>
      <div class="actions">
        <button type="button" part="export" ?disabled=${this.#exporting} @click=${this.#exportCsv}>
          ${this.#exporting ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      ${
        this.tags.length
          ? html`<div class="chosen-tags" part="chosen-tags">
              <span id="chosen-tags-label">Tagged with all of</span>
              <ul aria-labelledby="chosen-tags-label">
                ${this.tags.map(
                  (t) =>
                    html`<li>
                      <button
                        type="button"
                        part="chosen-tag"
                        aria-label="Remove the tag filter ${t}"
                        @click=${() => void this.#removeTag(t)}
                      >
                        ${t}<span aria-hidden="true">×</span>
                      </button>
                    </li>`,
                )}
              </ul>
            </div>`
          : nothing
      }
    </div>`;
  }

  #renderSummary() {
    const locale = safeLocale(this.crmConfig?.locale);
    const status = this.#list.status;
    const text =
      status === TaskStatus.PENDING || !this.#facts.value
        ? 'Loading clients…'
        : status === TaskStatus.COMPLETE
          ? `${formatCount(this.total, locale)} ${this.total === 1 ? 'client' : 'clients'}${this.#filtered ? ' match' : ''}`
          : '';
    return html`<div class="summary">
      <span part="count" role="status">${text}</span>
      ${
        this.#filtered
          ? html`<button type="button" @click=${this.#clearFilters}>Clear filters</button>`
          : nothing
      }
      ${
        this.exportError
          ? html`<span class="error" role="alert"
              >Export failed: ${errorMessage(this.exportError)}</span
            >`
          : nothing
      }
    </div>`;
  }

  #renderMain(studio: boolean): TemplateResult | typeof nothing {
    const list = this.#list;
    if (list.status === TaskStatus.ERROR) return errorView(list.error, this.#retry);
    if (this.#facts.status === TaskStatus.ERROR) return errorView(this.#facts.error, this.#retry);
    if (list.status === TaskStatus.COMPLETE && this.#rows.length === 0) {
      return this.#filtered
        ? html`<div class="message" part="empty">
            <p>No clients match these filters.</p>
            <button type="button" @click=${this.#clearFilters}>Clear filters</button>
          </div>`
        : html`<div class="message" part="empty">
            <p>No clients yet — clients appear here when someone books a class.</p>
          </div>`;
    }
    // Until the CRM's kind is known the columns are not: no rows that would shift.
    if (this.#rows.length === 0 || (!this.#facts.value && !this.kind)) {
      return this.#renderSkeleton(studio);
    }
    return this.#renderGrid(studio);
  }

  #renderSkeleton(studio: boolean) {
    const cells = studio ? 7 : 6;
    return html`<div class="skeleton-grid" aria-hidden="true">
      ${Array.from(
        { length: 8 },
        () =>
          html`<div class="row skeleton-row">
            <div class="cell client">
              <span class="avatar skeleton"></span><span class="skeleton" style="width: 60%"></span>
            </div>
            ${this.#placeholderCells(cells - 1)}
          </div>`,
      )}
    </div>`;
  }

  /** Placeholder cells after the client's, hidden with the columns they stand for. */
  #placeholderCells(n: number) {
    return Array.from(
      { length: n },
      (_, i) =>
        html`<div class="cell ${i === 0 || i >= 4 ? 'optional' : i < 3 ? 'minor' : ''}">
          <div class="skeleton"></div>
        </div>`,
    );
  }

  #renderGrid(studio: boolean) {
    // Once per render, not once per row: rows re-render on every scroll step.
    const locale = safeLocale(this.crmConfig?.locale);
    const filters = this.currentFilters;
    const header = (label: string, sort: ClientSort | null, cls = '') => {
      const sorted = sort !== null && filters.sort === sort;
      const dir = filters.order === 'asc' ? 'ascending' : 'descending';
      return html`<div role="columnheader" class="cell ${cls}" aria-sort=${sorted ? dir : nothing}>
        ${
          sort
            ? html`<button type="button" class="sort" @click=${() => this.#sortBy(sort)}>
                ${label}<span class="arrow" aria-hidden="true"
                  >${sorted ? (filters.order === 'asc' ? '▲' : '▼') : '↕'}</span
                >
              </button>`
            : label
        }
      </div>`;
    };
    return this.#window.render({
      label: 'Clients',
      rowCount: this.total + 1,
      busy: this.#list.status === TaskStatus.PENDING,
      header: html`<div class="header" part="header" role="rowgroup">
        <div class="row" role="row" aria-rowindex="1">
          ${header('Client', 'name')} ${header('Bookings', 'bookings', 'num optional')}
          ${header('Lifetime spend', 'spend', 'num minor')}
          ${header('Last attended', null, 'minor')} ${header('Status', null)}
          ${studio ? header('Teachers', null, 'optional') : nothing}
          ${header('Tags', null, 'optional')}
        </div>
      </div>`,
      row: (index, active) => this.#renderRow(this.#rows[index]!, index, active, studio, locale),
      placeholder: () => this.#renderLoadingRow(studio),
    });
  }

  #renderLoadingRow(studio: boolean) {
    return html`<div class="row loading-row" aria-hidden="true">
      <div class="cell"><div class="skeleton"></div></div>
      ${this.#placeholderCells(studio ? 6 : 5)}
    </div>`;
  }

  #renderRow(
    c: ClientSummary,
    index: number,
    active: boolean,
    studio: boolean,
    locale: string | undefined,
  ) {
    const name = c.erased ? 'Deleted client' : c.name;
    const selected = c.id === this.selectedClientId;
    const teachers = (c.teachers ?? []).map((t) => t.name).join(', ');
    return html`<div
      class="row"
      part="row"
      role="row"
      aria-rowindex=${index + 2}
      aria-selected=${selected ? 'true' : 'false'}
      tabindex=${active ? 0 : -1}
      data-index=${index}
      data-client-id=${c.id}
    >
      <div class="cell client" part="cell" role="gridcell">
        ${avatar(name, c.erased ? null : c.avatarUrl)}
        <span class="who">
          <span class="name-line"
            ><span class="name">${name}</span>${
              c.alerts.length
                ? html`<span
                    class="alert-marker"
                    part="alert-marker"
                    role="img"
                    aria-label="Alerts"
                    title=${c.alerts.join('\n')}
                    >⚠</span
                  >`
                : nothing
            }</span
          >
          ${!c.erased && c.email ? html`<span class="email">${c.email}</span>` : nothing}
        </span>
      </div>
      <div class="cell num optional" part="cell" role="gridcell">
        ${formatCount(c.totalBookings, locale)}
      </div>
      <div class="cell num minor" part="cell" role="gridcell">
        ${formatMoney(c.lifetimeSpend, locale)}
      </div>
      <div class="cell minor" part="cell" role="gridcell">
        ${
          c.lastAttendedAt
            ? html`<time datetime=${c.lastAttendedAt} title=${formatDate(c.lastAttendedAt, locale)}
                  >${formatRelative(c.lastAttendedAt, Date.now(), locale)}</time
                ><span class="visually-hidden"> (${formatDate(c.lastAttendedAt, locale)})</span>`
            : html`<span class="muted">Never</span>`
        }
      </div>
      <div class="cell status" part="cell" role="gridcell">
        ${statusPill(c.status)}
        ${
          c.growing
            ? html`<span class="pill growing" part="pill" title="3 to 5 bookings"
                ><span aria-hidden="true">↗</span>Growing</span
              >`
            : nothing
        }
      </div>
      ${
        studio
          ? html`<div class="cell optional" part="cell" role="gridcell" title=${teachers}>
              ${teachers}
            </div>`
          : nothing
      }
      <div class="cell optional" part="cell" role="gridcell" title=${c.tags.join(', ')}>
        ${c.tags.map(
          (t, i) =>
            html`<span class="tag" part="tag">${t}</span>${
                i < c.tags.length - 1 ? html`<span class="visually-hidden">, </span>` : nothing
              }`,
        )}
      </div>
    </div>`;
  }

  static override styles = [hostStyles, styles];
}

/** `2026-06-15` in the user's time zone: the date in the export's file name. */
function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
