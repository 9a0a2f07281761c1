/**
 * The toolbar of `<mm-client-list>` and the query it makes: the search box (applied after a
 * pause in typing, or at once on Enter), the status checkboxes, the "Growing" and "Slipping"
 * segments (one at a time: the API takes one), the tag filter (several tags, all must match,
 * each chosen one a removable chip), a studio's teacher filter and the sort, which is the
 * element's own `sort` and `order`. In a narrow element the filters fold behind a
 * "Filters (n)" button.
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import {
  LIMITS,
  type ClientListParams,
  type ClientSort,
  type ClientStatus,
  type Segment,
  type SortOrder,
  type TagCount,
  type UserRef,
} from '../../api/schemas.js';
import { STATUS_LABEL } from '../../shared/ui.js';

/** What the list asks the API for: the filters, the search and the sort. */
export type ClientListFilters = Omit<ClientListParams, 'cursor' | 'limit'>;

const SORTS: readonly ClientSort[] = ['recent', 'name', 'bookings', 'spend', 'firstBooking'];
const STATUSES: readonly ClientStatus[] = ['regular', 'active', 'lapsed'];
const SEGMENTS: readonly Segment[] = ['growing', 'slipping'];
/** The checkboxes' labels; the segments' arrows are those of the rows' markers. */
const CHECK_LABEL: Record<ClientStatus | Segment, string> = {
  ...STATUS_LABEL,
  growing: '↗ Growing',
  slipping: '↘ Slipping',
};
/** The order a sort starts in: what a user means by "sort by spend" is biggest first. */
const DEFAULT_ORDER: Record<ClientSort, SortOrder> = {
  recent: 'desc',
  name: 'asc',
  bookings: 'desc',
  spend: 'desc',
  firstBooking: 'asc',
};
/** The element's sorts: the API's, and `overdue` (the slipping segment without a `sort`). */
export type ListSort = ClientSort | 'overdue';
const SORT_LABEL: Record<ListSort, string> = {
  overdue: 'Most overdue',
  recent: 'Last attended',
  name: 'Name',
  bookings: 'Total bookings',
  spend: 'Lifetime spend',
  firstBooking: 'First booking',
};

/** The list's side: its sort properties. */
export type FiltersHost = ReactiveControllerHost &
  HTMLElement & { sort: ListSort; order?: SortOrder };

export interface ToolbarView {
  /** The CRM's tags and their counts, for the tag filter. */
  tags: readonly TagCount[];
  /** A studio's teachers, for the teacher filter (none: no teacher filter). */
  teachers?: readonly UserRef[];
  /** The buttons at the end of the toolbar. */
  actions: TemplateResult;
}

export class ListFilters {
  /** The text in the search box. */
  searchText = '';
  /** The search applied: the box's text, trimmed (searched as it is typed). */
  q = '';
  statuses: ClientStatus[] = [];
  segment: Segment | '' = '';
  /** Tags chosen in the tag filter: clients with all of them are shown. */
  tags: string[] = [];
  teacher = '';
  /** The folded filters (a narrow element) are shown. */
  open = false;

  constructor(private readonly host: FiltersHost) {}

  /** The query in force (search, filters, sort): what the rows and the CSV export show. */
  get query(): ClientListFilters {
    const { sort: s, order: o } = this.host;
    // Most overdue first is the slipping segment's own order: the API's, with no sort.
    const filters: ClientListFilters = {};
    if (s !== 'overdue' || this.segment !== 'slipping') {
      const sort = SORTS.includes(s as ClientSort) ? (s as ClientSort) : 'recent';
      filters.sort = sort;
      filters.order = o === 'asc' || o === 'desc' ? o : DEFAULT_ORDER[sort];
    }
    if (this.q) filters.q = this.q;
    if (this.statuses.length) filters.status = [...this.statuses];
    if (this.segment) filters.segment = this.segment;
    if (this.tags.length) filters.tag = [...this.tags];
    if (this.teacher) filters.teacher = this.teacher;
    return filters;
  }

  /** How many filters (not the search) narrow the list: the folded filters' count. */
  get count(): number {
    return this.statuses.length + this.tags.length + +!!this.segment + +!!this.teacher;
  }

  /** Whether the search or a filter narrows the list. */
  get active(): boolean {
    return !!(this.q || this.count);
  }

  clear = (): void => {
    this.searchText = this.q = this.teacher = '';
    this.statuses = [];
    this.#setSegment('');
    this.tags = [];
    this.host.requestUpdate();
  };

  /** Another CRM: the chosen tags and teacher mean nothing there. */
  forgetCrm(): void {
    this.tags = [];
    this.teacher = '';
  }

  /** A column header's sort button: that sort, or the other order when it is the sort. */
  sortBy(sort: ClientSort): void {
    const current = this.query;
    if (current.sort === sort) {
      this.host.order = current.order === 'asc' ? 'desc' : 'asc';
    } else {
      this.host.sort = sort;
      this.host.order = undefined;
    }
  }

  /** Slipping comes with its own order, most overdue first; leaving it, the default again. */
  #setSegment(segment: Segment | '') {
    const { host } = this;
    if (segment === 'slipping') {
      host.sort = 'overdue';
      host.order = undefined;
    } else if (host.sort === 'overdue') host.sort = 'recent';
    this.segment = segment;
  }

  #onSegment = (e: Event) => {
    const { value, checked } = e.target as HTMLInputElement;
    this.#setSegment(checked ? (value as Segment) : '');
    this.host.requestUpdate();
  };

  #set(change: Partial<Pick<ListFilters, 'q' | 'statuses' | 'tags' | 'teacher'>>) {
    Object.assign(this, change);
    this.host.requestUpdate();
  }

  #applySearch() {
    this.#set({ q: this.searchText.trim().slice(0, LIMITS.searchMaxChars) });
  }

  /**
   * The list searches as the user types, with no pause: each keystroke's search supersedes
   * the last (its request is aborted, and the server stops reading for it). A pause of 250 ms
   * after the last key made the rows come 322 ms after it (p50) at 100,000 clients; without, 87
   * ms (bench/README.md). A composition in progress (an input method) is searched once it ends.
   */
  #onSearchInput = (e: InputEvent) => {
    this.searchText = (e.target as HTMLInputElement).value;
    if (!e.isComposing) this.#applySearch();
  };

  #onSearchKeydown = (e: KeyboardEvent) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      this.#applySearch();
    }
  };

  #onStatusChange = (e: Event) => {
    const { value, checked } = e.target as HTMLInputElement;
    // In the order of STATUSES, whatever the order of the clicks.
    this.#set({
      statuses: STATUSES.filter((s) => (s === value ? checked : this.statuses.includes(s))),
    });
  };

  /** Tags compare case-insensitively, as the server does. */
  #hasTag(tag: string): boolean {
    return this.tags.some((t) => t.toLowerCase() === tag.toLowerCase());
  }

  #onTagChoice = (e: Event) => {
    const select = e.target as HTMLSelectElement;
    const tag = select.value;
    select.value = '';
    if (tag && !this.#hasTag(tag)) this.#set({ tags: [...this.tags, tag] });
  };

  /** Removes a chosen tag; focus goes to the tag select (the chip is gone). */
  async #removeTag(tag: string) {
    this.#set({ tags: this.tags.filter((t) => t !== tag) });
    await this.host.updateComplete;
    this.host.shadowRoot?.querySelector<HTMLElement>('select[name="tag"]')?.focus();
  }

  render({ tags, teachers, actions }: ToolbarView) {
    const sort = this.query.sort ?? 'overdue';
    const n = this.count;
    return html`<div class="toolbar ${this.open ? 'open' : ''}" part="toolbar">
      <label class="field search-field">
        <span>Search</span>
        <input
          part="search"
          type="search"
          placeholder="Name or email"
          autocomplete="off"
          spellcheck="false"
          maxlength=${LIMITS.searchMaxChars}
          .value=${live(this.searchText)}
          @input=${this.#onSearchInput}
          @compositionend=${() => this.#applySearch()}
          @keydown=${this.#onSearchKeydown}
        />
      </label>
      <button
        type="button"
        class="fold"
        aria-expanded=${this.open ? 'true' : 'false'}
        @click=${() => {
          this.open = !this.open;
          this.host.requestUpdate();
        }}
      >
        Filters${n ? ` (${n})` : ''}
      </button>
      <div class="filters" part="filters">
        <fieldset>
          <legend>Status</legend>
          <div class="checks">
            ${[...STATUSES, ...SEGMENTS].map((s) => {
              const segment = (SEGMENTS as readonly string[]).includes(s);
              return html`<label class="check">
                <input
                  type="checkbox"
                  name=${segment ? 'segment' : 'status'}
                  .value=${s}
                  .checked=${segment ? this.segment === s : this.statuses.includes(s as ClientStatus)}
                  @change=${segment ? this.#onSegment : this.#onStatusChange}
                />${CHECK_LABEL[s]}
              </label>`;
            })}
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
          teachers
            ? html`<label class="field">
                <span>Teacher</span>
                <select
                  name="teacher"
                  .value=${this.teacher}
                  @change=${(e: Event) =>
                    this.#set({ teacher: (e.target as HTMLSelectElement).value })}
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
            .value=${sort}
            @change=${(e: Event) => {
              this.host.sort = (e.target as HTMLSelectElement).value as ListSort;
              this.host.order = undefined;
            }}
          >
            ${(this.segment === 'slipping' ? ['overdue' as const, ...SORTS] : SORTS).map(
              (s) => html`<option value=${s} ?selected=${s === sort}>${SORT_LABEL[s]}</option>`,
            )}
          </select>
        </label>
      </div>
      <div class="actions">${actions}</div>
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
}
