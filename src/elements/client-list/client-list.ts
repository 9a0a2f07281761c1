import { initialState, Task, TaskStatus } from '@lit/task';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { CrmClient } from '../../api/client.js';
import {
  LIMITS,
  type ClientListPage,
  type ClientSort,
  type ClientSummary,
  type CrmSummary,
  type SortOrder,
  type TagCount,
  type UserRef,
  wordStartSearch,
} from '../../api/schemas.js';
import { CrmElement, crmInfo } from '../../shared/crm-element.js';
import { signOutButton } from '../../auth/sign-in.js';
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
import { avatar, errorMessage, errorView, statusPill } from '../../shared/ui.js';
import { RowWindow } from './row-window.js';
import { styles } from './client-list.styles.js';
import { ListFilters, type ClientListFilters, type ListSort } from './list-filters.js';

/** Rows of a query's first page at most: about three screens (see the list task). */
const FIRST_PAGE_MAX = 30;

interface CrmFacts {
  info: CrmSummary;
  tags: TagCount[];
  teachers: UserRef[];
}

export type { ClientListFilters, ListSort };

/**
 * The clients dashboard: every client of a CRM with search, filters, sortable columns and
 * CSV export, loaded page by page as the user scrolls and virtualised so that the DOM stays
 * small however many clients there are.
 *
 * The rows form an ARIA grid with row focus: one row is in the tab order (roving tabindex);
 * arrows, Page Up/Down and Home/End move, Enter or a click selects.
 *
 * The columns follow the element's own width: all of them from 800 px; narrower, two-line rows
 * (client and status; bookings, spend, last attended), and below 600 px the filters fold
 * behind a "Filters (n)" button.
 *
 * Listens for `mm-tags-changed` in its document (from `<mm-client-card>`) to show the new
 * tags in the row and in the tag filter.
 *
 * @summary The clients list: search, filters, sort, infinite virtualised rows, CSV export.
 *
 * @fires mm-client-select - `{clientId}`: a row was chosen (click or Enter). `selectedClientId` is already set.
 * @fires mm-error - `{code, status, detail}`: a request the user is waiting for failed.
 * @fires mm-auth-required - The token was refused even after asking `getToken` again.
 * @fires mm-signed-in - `{userId}`: signed in with "Sign in with MoveMentors" (`api-base` without a token).
 * @fires mm-signed-out - Signed out (from any element of the page), or the sign-in ended.
 *
 * @csspart toolbar - The bar with the search box, the filters and the export button.
 * @csspart search - The search input.
 * @csspart filters - The filter controls (status, growing, tag, teacher, sort).
 * @csspart export - The "Export CSV" button.
 * @csspart sign-in - The "Sign in with MoveMentors" button (`api-base` without a token).
 * @csspart sign-out - The "Sign out" button while signed in that way.
 * @csspart count - The number of clients found.
 * @csspart search-hint - Under a search of 1 or 2 characters: that it matches the start of words.
 * @csspart grid - The grid of clients (header and rows).
 * @csspart header - The column header row group.
 * @csspart row - A client row.
 * @csspart cell - A cell of a client row.
 * @csspart avatar - A client's photo or initials.
 * @csspart pill - A status pill, or a "Growing" (↗) or "Slipping" (↘) marker beside it.
 * @csspart tag - A tag in a row (whole tags, then "+N").
 * @csspart alert-marker - The ⚠ after the name of a client with alerts (their texts are its description).
 * @csspart chosen-tags - The tags chosen in the tag filter, under the filters.
 * @csspart chosen-tag - One chosen tag: a button that removes it from the filter.
 * @csspart empty - The empty state.
 * @csspart error - The error state (with its Retry button).
 *
 * @cssprop --mm-client-list-max-height - The list is as tall as its rows up to this height, then they scroll (default 600px; `none`: no limit).
 * @cssprop --mm-client-list-height - A height to fill (default `auto`: as tall as the rows, up to the maximum). A `height` on the element does the same.
 * @cssprop --mm-client-list-row-height - Height of one row, fixed (default 56px).
 * @cssprop --mm-client-list-bg - Background (default `--mm-color-bg`).
 * @cssprop --mm-client-list-border-color - Borders and row separators (default `--mm-color-border`).
 * @cssprop --mm-client-list-header-bg - Column header background (default `--mm-color-surface`).
 * @cssprop --mm-client-list-row-hover-bg - Row under the pointer (default `--mm-color-surface`).
 * @cssprop --mm-client-list-row-selected-bg - The selected row (default a tint of `--mm-color-accent`).
 * @cssprop --mm-client-list-tag-bg - Tag chips (default `--mm-color-surface`).
 * @cssprop --mm-client-list-columns - `grid-template-columns` of the six mentor columns (800 px wide and more).
 * @cssprop --mm-client-list-studio-columns - `grid-template-columns` of the seven studio columns (800 px wide and more).
 */
export class MmClientList extends CrmElement {
  /**
   * Sort key: `recent` (default: last attended, most recent first), `name`, `bookings`,
   * `spend`, `firstBooking`, or `overdue` (most overdue first; only with the Slipping filter,
   * which chooses it; without that filter it is `recent`).
   */
  @property() sort: ListSort = 'recent';

  /** `asc` or `desc`; unset, each sort uses its natural order (recent first, A to Z, biggest first). */
  @property() order?: SortOrder;

  /** Clients per page request (1-200); the first page of a search, filter or sort asks for at most 30, to show them sooner. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 100;

  /**
   * The chosen client's id, set before `mm-client-select` is fired; reflected to the
   * `selected-client-id` attribute. A page may set it (from its URL, say) to show a client
   * chosen before a reload: its row is marked and followers (`for=`) open it.
   */
  @property({ attribute: 'selected-client-id', reflect: true }) selectedClientId: string | null =
    null;

  /** The clock for the relative dates (ms since the epoch); the current time when unset. */
  @property({ attribute: false }) now?: number;

  @state() private total = 0;
  /** The total stopped counting at 1,000 matches: "1,000+". */
  @state() private capped = false;
  @state() private exportError: unknown;

  /** The search, the filters and the sort: the toolbar. */
  #filters = new ListFilters(this);

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

  #export = action(
    this,
    async ([client, crm, filters]: [CrmClient, string, ClientListFilters], signal) => {
      const blob = await client.exportClientsCsv(crm, filters, { signal });
      this.#download(blob, `clients-${localDate(new Date())}.csv`);
    },
    { failed: (error) => (this.exportError = error) },
  );

  #lastCrm?: string;
  #root?: Document | ShadowRoot;

  /**
   * The CRM (its kind decides the columns, its time zone the days of relative dates), known
   * from the cached `/v1/me` before the tags and teachers arrive: rows need not wait for the
   * tag counts (an O(clients) query).
   */
  @state() private info?: CrmSummary;

  #facts = new Task(this, {
    task: async ([client, crm], { signal }): Promise<CrmFacts | typeof initialState> => {
      if (!client || !crm) return initialState;
      const info = await crmInfo(client, crm, signal);
      this.info = info;
      const [tags, teachers] = await Promise.all([
        client.listTags(crm, { signal }),
        info.kind === 'studio' ? client.listTeachers(crm, { signal }) : [],
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
      // The first page of a query fills about three screens, sooner than a whole page would
      // (a page of 100 took 7 to 10 ms more at the server and more to parse); the next pages
      // are `page-size` long (the second is asked for once the first shows: its rows are
      // within the window's prefetch distance of the end).
      const first = Math.min(limit, FIRST_PAGE_MAX);
      const page = await client.listClients(crm, { ...filters, limit: first }, { signal });
      signal.throwIfAborted();
      this.#window.reset();
      this.#pages.start(page);
      this.total = page.total;
      this.capped = page.totalCapped;
      return page.total;
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
    // Not called for a run that a newer one superseded (and aborted).
    onError: (error) => {
      this.#reset();
      reportError(this, error);
    },
  });

  /** The rows near the viewport, row focus and the grid's keys. */
  #window = new RowWindow(this, {
    count: () => this.#pages.items.length,
    more: () => !!this.#pages.next,
    idAt: (index) => this.#pages.items[index]?.id,
    activate: (index) => this.#select(index),
    nearEnd: () => this.#loadMore(),
  });

  get #limit(): number {
    return Math.min(LIMITS.pageMax, Math.max(LIMITS.pageMin, Math.trunc(this.pageSize) || 100));
  }

  /** The query in force (search, filters, sort): what the rows and the CSV export show. */
  get currentFilters(): ClientListFilters {
    return this.#filters.query;
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
    this.#export.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const crm = this.crmConfig?.crm;
    if (this.#lastCrm !== undefined && crm !== this.#lastCrm) {
      // Another CRM: its filters' tag and teacher ids and the selection mean nothing there.
      this.#filters.forgetCrm();
      this.selectedClientId = null;
      this.info = undefined;
    }
    this.#lastCrm = crm;
  }

  // -- state changes -------------------------------------------------------------------------

  #reset() {
    this.#window.reset();
    this.#pages.start();
    this.total = 0;
  }

  /** The next page, once the first is in (with a client) and while the last one did not fail. */
  #loadMore() {
    if (!this.#pages.error && this.#list.status === TaskStatus.COMPLETE) {
      void this.#pages.loadMore();
    }
  }

  /** A card on the page changed a client's tags: show them, and refresh the tag filter. */
  #onTagsChanged = (event: Event) => {
    const { clientId, tags } = (event as MmEventMap['mm-tags-changed']).detail;
    const rows = [...this.#pages.items];
    const index = rows.findIndex((r) => r.id === clientId);
    if (index < 0) return;
    rows[index] = { ...rows[index]!, tags };
    this.#pages.items = rows;
    this.requestUpdate();
    void this.#facts.run();
  };

  #select(index: number) {
    const clientId = this.#pages.items[index]!.id;
    this.selectedClientId = clientId;
    emit(this, 'mm-client-select', { clientId });
  }

  // -- export --------------------------------------------------------------------------------

  /** The button is disabled while an export runs. */
  #exportCsv() {
    const config = this.crmConfig;
    if (!config?.client) return;
    this.exportError = undefined;
    void this.#export.run([config.client, config.crm, this.currentFilters]);
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
    const gate = this.signInGate();
    if (gate) return html`<div class="frame">${gate}</div>`;
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
    const studio = this.info?.kind === 'studio';
    return html`<div class="frame ${studio ? 'studio' : ''}">
      ${this.#renderToolbar(facts)} ${this.#renderSummary()}
      <div class="main" aria-busy=${this.#busy ? 'true' : 'false'}>${this.#renderMain(studio)}</div>
      ${
        this.#pages.error
          ? html`<div class="page-error" part="error" role="alert">
              <p class="error">Could not load more clients. ${errorMessage(this.#pages.error)}</p>
              <button type="button" @click=${() => this.#pages.loadMore()}>Retry</button>
            </div>`
          : nothing
      }
    </div>`;
  }

  get #busy(): boolean {
    return this.#list.status === TaskStatus.PENDING || this.#facts.status === TaskStatus.PENDING;
  }

  #renderToolbar(facts: CrmFacts | undefined) {
    const exporting = this.#export.status === TaskStatus.PENDING;
    return this.#filters.render({
      tags: facts?.tags ?? [],
      teachers: facts?.info.kind === 'studio' ? facts.teachers : undefined,
      actions: html`<button
          type="button"
          part="export"
          ?disabled=${exporting}
          @click=${this.#exportCsv}
        >
          ${exporting ? 'Exporting…' : 'Export CSV'}
        </button>
        ${signOutButton(this.signIn)}`,
    });
  }

  #renderSummary() {
    const locale = safeLocale(this.crmConfig?.locale);
    const status = this.#list.status;
    // One client matches; 12 (or 1,000+) clients match. While new rows load, the count of
    // the rows shown stays; "Loading" only when no rows (and no error) are shown.
    const one = this.total === 1 && !this.capped;
    // Rows are shown (they wait for the CRM's kind), or the empty state.
    const shown = this.#pages.items.length ? !!this.info : status === TaskStatus.COMPLETE;
    const text =
      status === TaskStatus.ERROR || this.#facts.status === TaskStatus.ERROR
        ? ''
        : shown
          ? `${formatCount(this.total, locale)}${this.capped ? '+' : ''} client${one ? '' : 's'}${
              this.#filters.active ? (one ? ' matches' : ' match') : ''
            }`
          : 'Loading clients…';
    // 1-2 characters find the start of a word: say so, and how to search inside words.
    const q = this.#filters.query.q;
    return html`<div class="summary">
      <span part="count" role="status">${text}</span>
      ${
        q && wordStartSearch(q)
          ? html`<span class="hint" part="search-hint"
              >Matching the start of words: type 3 or more letters to search anywhere.</span
            >`
          : nothing
      }
      ${
        this.#filters.active
          ? html`<button type="button" @click=${this.#filters.clear}>Clear filters</button>`
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
    if (list.status === TaskStatus.ERROR) return errorView(list.error, this.refresh);
    if (this.#facts.status === TaskStatus.ERROR) return errorView(this.#facts.error, this.refresh);
    if (list.status === TaskStatus.COMPLETE && this.#pages.items.length === 0) {
      return this.#filters.active
        ? html`<div class="message" part="empty">
            <p>No clients match these filters.</p>
            <button type="button" @click=${this.#filters.clear}>Clear filters</button>
          </div>`
        : html`<div class="message" part="empty">
            <p>No clients yet — clients appear here when someone books a class.</p>
          </div>`;
    }
    // Until the CRM's kind is known the columns are not: no rows that would shift.
    if (this.#pages.items.length === 0 || !this.info) {
      return skeletonRows(studio);
    }
    return this.#renderGrid(studio);
  }

  #renderGrid(studio: boolean) {
    // Once per render, not once per row: rows re-render on every scroll step.
    const view: RowView = {
      studio,
      locale: safeLocale(this.crmConfig?.locale),
      now: this.now ?? Date.now(),
      timeZone: this.info?.timeZone,
    };
    const items = this.#pages.items;
    return this.#window.render({
      label: 'Clients',
      rowCount: this.total + 1,
      busy: this.#list.status === TaskStatus.PENDING,
      header: columnHeaders(studio, this.currentFilters, (sort) => this.#filters.sortBy(sort)),
      row: (index, active) => {
        const c = items[index]!;
        return clientRow(c, index, active, c.id === this.selectedClientId, view);
      },
      placeholder: () => placeholderRow(studio),
    });
  }

  static override styles = [hostStyles, styles];
}

/** `2026-06-15` in the user's time zone: the date in the export's file name. */
function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

// -- rows ------------------------------------------------------------------------------------
//
// The grid's rows as plain templates: the RowWindow places them, the styles lay them out (six
// columns for a mentor, seven for a studio; below 780 px two lines: the name and status, then
// bookings, spend and last attended). (Here rather than in a file of their own: as a separate
// module they cost about 90 bytes more in the gzipped standalone bundle.)

/** What every row is rendered with, worked out once per render. */
interface RowView {
  studio: boolean;
  locale: string | undefined;
  now: number;
  /** The CRM's: relative dates count its calendar days. */
  timeZone: string | undefined;
}

/** The column header row group; the sortable columns' buttons call `sortBy`. */
function columnHeaders(
  studio: boolean,
  filters: ClientListFilters,
  sortBy: (sort: ClientSort) => void,
) {
  const header = (label: string, sort: ClientSort | null, cls = '') => {
    const sorted = sort !== null && filters.sort === sort;
    const dir = filters.order === 'asc' ? 'ascending' : 'descending';
    // The label's last word and the arrow in one piece: the arrow never wraps onto a line alone.
    const space = label.lastIndexOf(' ') + 1;
    return html`<div role="columnheader" class="cell ${cls}" aria-sort=${sorted ? dir : nothing}>
      ${
        sort
          ? html`<button type="button" class="sort" @click=${() => sortBy(sort)}>
              ${label.slice(0, space)}<span class="end"
                >${label.slice(space)}<span class="arrow" aria-hidden="true"
                  >${sorted ? (filters.order === 'asc' ? '▲' : '▼') : '↕'}</span
                ></span
              >
            </button>`
          : label
      }
    </div>`;
  };
  return html`<div class="header" part="header" role="rowgroup">
    <div class="row" role="row" aria-rowindex="1">
      ${header('Client', 'name')} ${header('Bookings', 'bookings', 'num')}
      ${header('Lifetime spend', 'spend', 'num')} ${header('Last attended', 'recent')}
      ${header('Status', null)} ${studio ? header('Teachers', null, 'wide') : nothing}
      ${header('Tags', null, 'wide')}
    </div>
  </div>`;
}

/** `next: in 2 wk.`; `next wk.` says it alone. */
const next = (when: string) => (when.startsWith('next') ? when : `next: ${when}`);

/** A segment marker after the status pill: an arrow; its word on hover and for assistive tech. */
const segment = (icon: string, label: string) =>
  html`<span class="pill seg" part="pill" title=${label}
    ><span aria-hidden="true">${icon}</span><span class="visually-hidden">${label}</span></span
  >`;

/** Client `c`, row `index` of the grid; `active`: the row in the tab order. */
function clientRow(
  c: ClientSummary,
  index: number,
  active: boolean,
  selected: boolean,
  { studio, locale, now, timeZone }: RowView,
) {
  const name = c.erased ? 'Deleted client' : c.name;
  const email = c.erased ? null : c.email;
  const teachers = c.teachers ?? [];
  const tags = c.tags;
  const ago = (iso: string) => formatRelative(iso, now, locale, { short: true, timeZone });
  const last = c.lastAttendedAt;
  const lastDate = last && formatDate(last, locale, timeZone);
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
      <span class="who" title=${email ? `${name}\n${email}` : name}>
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
        ${email ? html`<span class="email">${email}</span>` : nothing}
      </span>
    </div>
    <div class="cell num" part="cell" role="gridcell">
      ${formatCount(c.totalBookings, locale)}<span class="unit">
        booking${c.totalBookings === 1 ? '' : 's'}</span
      >
    </div>
    <div class="cell num" part="cell" role="gridcell">${formatMoney(c.lifetimeSpend, locale)}</div>
    <div class="cell last" part="cell" role="gridcell">
      ${
        last
          ? html`<time datetime=${last} title=${lastDate}>${ago(last)}</time
              ><span class="visually-hidden"> (${lastDate})</span>`
          : html`<span class="muted">Never</span>`
      }
      ${
        c.nextBookingAt
          ? html`<time class="next" datetime=${c.nextBookingAt}
              >${next(ago(c.nextBookingAt))}</time
            >`
          : nothing
      }
    </div>
    <div class="cell status" part="cell" role="gridcell">
      ${statusPill(c.status)}${c.growing ? segment('↗', 'Growing') : nothing}${
        c.slipping ? segment('↘', 'Slipping') : nothing
      }
    </div>
    ${
      studio
        ? html`<div
            class="cell wide"
            part="cell"
            role="gridcell"
            title=${teachers.map((t) => t.name).join(', ')}
          >
            <span class="first">${teachers[0]?.name}</span>${
              teachers.length > 1
                ? html` <span class="more">+${teachers.length - 1} more</span>`
                : nothing
            }
          </div>`
        : nothing
    }
    <div class="cell wide" part="cell" role="gridcell" title=${tags.join(', ')}>
      <div class="chips">
        ${tags.map(
          // Each chip carries the "+N" of the tags after it; the next chip covers it, so the
          // one showing is that of the last chip on the line (the others wrap out of sight).
          (t, i) =>
            html`<span class="chip"
              ><span class="tag" part="tag">${t}</span>${
                i < tags.length - 1
                  ? html`<span class="more" aria-hidden="true">+${tags.length - 1 - i}</span
                      ><span class="visually-hidden">, </span>`
                  : nothing
              }</span
            >`,
        )}
      </div>
    </div>
  </div>`;
}

/**
 * A row of placeholders: after the loaded rows while the next page loads, and eight of them
 * until the first page (and the CRM's kind: the columns) is known.
 */
function placeholderRow(studio: boolean, cls = 'loading-row') {
  return html`<div class="row ${cls}" aria-hidden="true">
    ${Array.from(
      { length: studio ? 7 : 6 },
      (_, i) => html`<div class="cell ${i > 4 ? 'wide' : ''}"><div class="skeleton"></div></div>`,
    )}
  </div>`;
}

function skeletonRows(studio: boolean) {
  return html`<div class="skeleton-grid" aria-hidden="true">
    ${Array.from({ length: 8 }, () => placeholderRow(studio, 'skeleton-row'))}
  </div>`;
}
