/**
 * The window of rows of `<mm-client-list>`: an ARIA grid of rows of one height of which only
 * the ones near the viewport are in the DOM, with row focus and the grid's keys.
 *
 * Rows have one height (a CSS length, any unit, changed at any time), so the rows to render
 * follow from the scroll position alone: the ones in the viewport and OVERSCAN more on each
 * side, between two spacers that give the body the height of every row (and the body that
 * height too, which its container's flex layout may shrink or grow). Nothing is measured
 * but a hidden probe as tall as a row (the host's styles give `.probe` the row height), nothing
 * is laid out twice, and a scroll renders again only when the range changes.
 *
 * Focus: roving tabindex on the rows; the active row has tabindex=0. The focused row can
 * leave the DOM when the user scrolls with the wheel or the scrollbar: before each render,
 * when the focused row is about to go, focus is parked on the grid element itself (tabindex
 * -1, or 0 while the active row is not rendered, so that Tab still reaches the grid). Keys
 * pressed there continue from the active row, and when it is rendered again it gets focus
 * back. Nothing ever scrolls the list back against the user's will, and focus never falls
 * to <body>.
 */
import { html, type LitElement, type ReactiveController, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';

/** Rows rendered above and below the viewport, so that a scroll step rarely shows a gap. */
const OVERSCAN = 4;
/** `nearEnd` is called when the rendered range comes this close to the last loaded row. */
const PREFETCH_ROWS = 30;

/** What the window knows of the rows: the host's narrow side of the contract. */
export interface RowSource {
  /** How many rows are loaded: the keys move among them. */
  count(): number;
  /** Whether more rows follow the loaded ones (a placeholder row stands for them). */
  more(): boolean;
  /** The id of row `index`: rows are keyed by it, and a row showing another is stale. */
  idAt(index: number): string | undefined;
  /** Enter, Space or a click chose row `index` (it is the active row already). */
  activate(index: number): void;
  /** The rendered rows came near the last loaded one while `more()`: load the next page. */
  nearEnd(): void;
}

/** What the host renders in the grid. */
export interface GridView {
  /** The grid's accessible name. */
  label: string;
  /** `aria-rowcount`: every row, the header's included, loaded or not. */
  rowCount: number;
  busy: boolean;
  /** The column header row group. */
  header: TemplateResult;
  /** Row `index`: an element with `data-index=${index}`, `tabindex=${active ? 0 : -1}`. */
  row: (index: number, active: boolean) => TemplateResult;
  /** The row that stands for the rows not loaded yet. */
  placeholder: () => TemplateResult;
}

export class RowWindow implements ReactiveController {
  /** The row in the tab order, and the one the keys move from. */
  activeIndex = 0;
  #range = { first: 0, last: -1 };
  /** The ids rendered from `#range.first` on, at the last render. */
  #shown: (string | undefined)[] = [];
  #rowHeight = 56;
  #scrollTop = 0;
  #viewport = 0;
  /** Whether the active row is in the rendered range (else the grid itself is tabbable). */
  #activeRendered = true;
  #resize?: ResizeObserver;
  /** The body observed (undefined: none yet, or disconnected). */
  #observed?: HTMLElement | null;
  /** The body's scroll position is to be set to `#scrollTop` (the browser reset it, or new rows). */
  #restoreScroll = false;
  /** A keyboard move asked for the active row to get focus once it is rendered. */
  #focusPending = false;
  /** Focus was parked on the grid because the focused row scrolled out of the rendered range. */
  #parked = false;
  /** A pointer is down in the grid: focus that follows is not a Tab. */
  #pointing = false;

  readonly #rows: RowSource;

  constructor(
    private readonly host: LitElement,
    rows: RowSource,
  ) {
    this.#rows = rows;
    host.addController(this);
  }

  // Getters rather than `@query`: the decorator's module is not worth its bytes here.
  get #grid() {
    return this.host.renderRoot.querySelector<HTMLElement>('.grid');
  }
  get #body() {
    return this.host.renderRoot.querySelector<HTMLElement>('.body');
  }

  /**
   * New rows (another query): back to the top with the first row active. A focused row is
   * about to be replaced: focus stays in the grid, and the first row takes it once rendered.
   */
  reset(): void {
    if (this.#focusedIndex() !== undefined) this.#park();
    this.activeIndex = 0;
    // Setting scrollTop lays the list out there and then (12 ms of a search's 60 in the
    // bench): only when the body is not at the top already.
    if (this.#scrollTop !== 0) this.#restoreScroll = true;
    this.#scrollTop = 0;
  }

  hostConnected(): void {
    // Back in a document (moved, or re-inserted): the browser has reset the scroll position
    // and the size may differ; the next update observes the body again and puts the user
    // back where they were.
    if (this.host.hasUpdated) {
      this.#restoreScroll = true;
      this.host.requestUpdate();
    }
  }

  hostDisconnected(): void {
    this.#resize?.disconnect();
    this.#resize = this.#observed = undefined;
  }

  /** Before each render: the range it will render, and focus kept out of rows leaving. */
  hostUpdate(): void {
    const range = (this.#range = this.#window());
    const inRange = (i: number) => i >= range.first && i <= range.last;
    this.#activeRendered = inRange(this.activeIndex);
    const index = this.#focusedIndex();
    if (index !== undefined && !inRange(index)) this.#park();
  }

  hostUpdated(): void {
    const body = this.#body;
    if (body && this.#restoreScroll) {
      this.#restoreScroll = false;
      body.scrollTop = this.#scrollTop;
    }
    if (body !== this.#observed) this.#observe(body);
    if (this.#rows.more() && this.#range.last >= this.#rows.count() - PREFETCH_ROWS) {
      // After this update, not during it (the request shows the loading state: an update).
      queueMicrotask(() => this.#rows.nearEnd());
    }
    this.#applyFocus();
  }

  render(view: GridView): TemplateResult {
    const { first, last } = this.#range;
    const h = this.#rowHeight;
    const count = this.#rows.count();
    const shown: (string | undefined)[] = [];
    for (let i = first; i <= Math.min(last, count - 1); i++) shown.push(this.#rows.idAt(i));
    this.#shown = shown;
    return html`<div
      class="grid"
      part="grid"
      role="grid"
      aria-label=${view.label}
      aria-rowcount=${view.rowCount}
      aria-busy=${view.busy ? 'true' : 'false'}
      tabindex=${this.#activeRendered ? -1 : 0}
      @keydown=${this.#onKeydown}
      @focus=${this.#onGridFocus}
      @pointerdown=${this.#onPointerDown}
      @blur=${this.#onGridBlur}
    >
      ${view.header}
      <div
        class="body"
        role="rowgroup"
        tabindex="-1"
        style="height: ${this.#itemCount * h}px"
        @scroll=${this.#sync}
        @click=${this.#onClick}
        @focusin=${this.#onFocusIn}
      >
        <div class="probe" aria-hidden="true"></div>
        <div style="height: ${first * h}px"></div>
        ${repeat(
          shown,
          (id) => id,
          (_, i) => view.row(first + i, first + i === this.activeIndex),
        )}
        ${last >= count && this.#rows.more() ? view.placeholder() : ''}
        <div style="height: ${Math.max(0, this.#itemCount - 1 - last) * h}px"></div>
      </div>
    </div>`;
  }

  // -- the range -------------------------------------------------------------------------------

  /** Loaded rows, and the placeholder after them. */
  get #itemCount(): number {
    return this.#rows.count() + (this.#rows.more() ? 1 : 0);
  }

  /** The rows to render for the current scroll position. */
  #window(): { first: number; last: number } {
    const h = this.#rowHeight;
    const count = this.#itemCount;
    const viewport = this.#viewport || h * 10;
    const first = Math.max(0, Math.min(count - 1, Math.floor(this.#scrollTop / h)) - OVERSCAN);
    const last = Math.min(count - 1, Math.ceil((this.#scrollTop + viewport) / h) + OVERSCAN);
    return { first, last };
  }

  /** A scroll or a resize: render again only when the range changes. */
  #sync = () => {
    const body = this.#body;
    if (!body) return;
    this.#scrollTop = body.scrollTop;
    this.#viewport = body.clientHeight;
    const { first, last } = this.#window();
    if (first !== this.#range.first || last !== this.#range.last) this.#renderSoon();
  };

  /** Another render before the next frame, also when asked from `hostUpdated()`. */
  #renderSoon() {
    queueMicrotask(() => this.host.requestUpdate());
  }

  /** Watches the body's size and the row height (a probe as tall as a row) for changes. */
  #observe(body: HTMLElement | null) {
    this.#resize?.disconnect();
    this.#resize ??= new ResizeObserver(this.#onResize);
    this.#observed = body;
    if (body) {
      this.#resize.observe(body);
      const probe = body.querySelector('.probe');
      if (probe) this.#resize.observe(probe);
      this.#onResize();
    }
  }

  #onResize = () => {
    this.#measureRow();
    this.#sync();
  };

  /**
   * The row height comes from CSS: read from the probe in layout pixels, as `scrollTop` is
   * (not zoomed or transformed), fractional pixels kept.
   */
  #measureRow() {
    const probe = this.#body?.querySelector('.probe');
    const h = probe ? parseFloat(getComputedStyle(probe).height) : 0;
    if (h > 0 && Math.abs(h - this.#rowHeight) > 0.001) {
      this.#rowHeight = h;
      this.#renderSoon();
    }
  }

  // -- focus and keys --------------------------------------------------------------------------

  /** The index of the focused row, if a row has focus. */
  #focusedIndex(): number | undefined {
    const index = (this.host.shadowRoot?.activeElement as HTMLElement | null)?.dataset.index;
    return index === undefined ? undefined : Number(index);
  }

  #park() {
    this.#parked = true;
    this.#grid?.focus({ preventScroll: true });
  }

  /** The rendered row of `index`, if it is rendered and shows that row (not a stale one). */
  #rowEl(index: number): HTMLElement | null {
    const row = this.#body?.querySelector<HTMLElement>(`[data-index="${index}"]`);
    return row && this.#shown[index - this.#range.first] === this.#rows.idAt(index) ? row : null;
  }

  #applyFocus() {
    const onGrid = this.host.shadowRoot?.activeElement === this.#grid && this.#parked;
    if (!this.#focusPending && !onGrid) return;
    const row = this.#rowEl(this.activeIndex);
    if (!row) return;
    const moved = this.#focusPending;
    this.#focusPending = false;
    this.#parked = false;
    if (this.host.shadowRoot?.activeElement !== row) row.focus({ preventScroll: true });
    // A keyboard move: the body is scrolled already; the page may need to follow.
    if (moved) row.scrollIntoView({ block: 'nearest' });
  }

  #setActive(index: number) {
    if (index === this.activeIndex) return;
    this.activeIndex = index;
    this.host.requestUpdate();
  }

  #moveTo(index: number) {
    const last = this.#rows.count() - 1;
    if (last < 0) return;
    const next = Math.max(0, Math.min(last, index));
    this.#setActive(next);
    this.#focusPending = true;
    const body = this.#body;
    if (body) {
      // Scroll just enough to show the row, then render the range around it.
      const top = next * this.#rowHeight;
      const bottom = top + this.#rowHeight;
      if (top < body.scrollTop) body.scrollTop = top;
      else if (bottom > body.scrollTop + body.clientHeight) {
        body.scrollTop = bottom - body.clientHeight;
      }
      this.#sync();
    }
    this.#applyFocus();
  }

  #activate(index: number) {
    if (this.#rows.idAt(index) === undefined) return;
    this.#setActive(index);
    this.#rows.activate(index);
  }

  #onKeydown = (e: KeyboardEvent) => {
    const target = e.target as HTMLElement;
    const onRow = target.dataset.index !== undefined;
    // Header buttons keep their own keys; the grid and the body's background act for the rows.
    if (!onRow && target !== e.currentTarget && target !== this.#body) return;
    if (e.altKey || e.metaKey) return;
    const i = this.activeIndex;
    const page = Math.max(1, Math.floor(this.#viewport / this.#rowHeight));
    switch (e.key) {
      case 'ArrowDown':
        this.#moveTo(i + 1);
        break;
      case 'ArrowUp':
        this.#moveTo(i - 1);
        break;
      case 'PageDown':
        this.#moveTo(i + page);
        break;
      case 'PageUp':
        this.#moveTo(i - page);
        break;
      case 'Home':
        this.#moveTo(0);
        break;
      case 'End':
        this.#moveTo(this.#rows.count() - 1);
        break;
      case 'Enter':
      case ' ':
        // From the grid (the row scrolled away), the row comes back into view first.
        this.#moveTo(i);
        this.#activate(i);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  #onGridFocus = (e: FocusEvent) => {
    // Tab reached the grid itself (the active row is scrolled away): bring the row back. Not
    // for a click on the grid's background (a header's text, the loading row): the list
    // stays where the user scrolled it.
    if (e.target === e.currentTarget && !this.#parked && !this.#pointing) {
      this.#moveTo(this.activeIndex);
    }
  };

  #onGridBlur = (e: FocusEvent) => {
    // Another window or tab took focus: it comes back to the grid, still parked.
    if (e.target === e.currentTarget && document.hasFocus()) this.#parked = false;
  };

  #onPointerDown = () => {
    this.#pointing = true;
    setTimeout(() => (this.#pointing = false));
  };

  #onFocusIn = (e: FocusEvent) => {
    const index = (e.target as HTMLElement).dataset.index;
    if (index !== undefined) {
      this.#activeRendered = true;
      this.#setActive(Number(index));
    }
  };

  #onClick = (e: MouseEvent) => {
    const row = (e.target as Element).closest<HTMLElement>('[data-index]');
    if (row) this.#activate(Number(row.dataset.index));
  };
}
