/**
 * The benchmark page's script (bundled by esbuild in bench/browser.ts): mounts
 * `<mm-client-list>`, the peer `<vaadin-grid>` over the same API pages, or `<mm-client-notes>`,
 * and measures in the page with `performance.now()` and requestAnimationFrame: first rows,
 * scrolling, the list's search box (last keystroke to the new first rows) and note saves.
 */
import '../../src/mm-client-list.js';
import '../../src/mm-client-notes.js';
import '@vaadin/grid/vaadin-grid.js';
import '@vaadin/grid/vaadin-grid-column.js';
import type { Grid, GridDataProviderCallback, GridDataProviderParams } from '@vaadin/grid';
import type { GridColumn } from '@vaadin/grid/vaadin-grid-column.js';
import { CrmClient } from '../../src/api/client.js';
import type { ClientSummary } from '../../src/api/schemas.js';
import { formatDate, formatMoney, formatRelative, initials } from '../../src/shared/format.js';
import type { MmClientList } from '../../src/elements/client-list/client-list.js';
import type { MmClientNotes } from '../../src/elements/client-notes/client-notes.js';

interface MountOptions {
  apiBase: string;
  crm: string;
  token: string;
  pageSize: number;
}

export interface FirstRows {
  /** performance.now() from append to the frame after the first rows were in the DOM. */
  firstRowsMs: number;
}

export interface ScrollResult {
  frames: number[];
  scrolledPx: number;
  rowsLoaded: number;
  domRows: number;
  /** Elements in the component's light and shadow trees. */
  domElements: number;
}

const frame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
const afterPaint = () =>
  new Promise<number>((resolve) =>
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)),
  );

/**
 * Polls once per frame until `check()` is true; then waits for that frame to be painted.
 * `waitingFor` names what did not come, in the timeout's error.
 */
async function untilPainted(
  check: () => boolean,
  timeoutMs = 60_000,
  waitingFor: () => string = () => 'rows',
): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${waitingFor()}`);
    }
    await frame();
  }
  return afterPaint();
}

/**
 * Like `untilPainted`, to the frame that paints the change: `check()` runs at every change
 * of `root`'s tree (a MutationObserver) and every frame, and the time is taken after the
 * paint of the first frame in which it holds (polling alone found it up to a frame late and
 * then waited one frame more).
 */
function whenPainted(
  root: ShadowRoot,
  check: () => boolean,
  timeoutMs: number,
  waitingFor: () => string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let done = false;
    const finish = (inFrame: boolean) => {
      done = true;
      observer.disconnect();
      // in a frame callback: this frame paints it; otherwise the next one does
      const after = () => setTimeout(() => resolve(performance.now()), 0);
      if (inFrame) after();
      else requestAnimationFrame(after);
    };
    const observer = new MutationObserver(() => {
      if (!done && check()) finish(false);
    });
    observer.observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    const poll = (inFrame: boolean) => {
      if (done) return;
      if (check()) return finish(inFrame);
      if (performance.now() - start > timeoutMs) {
        observer.disconnect();
        done = true;
        return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${waitingFor()}`));
      }
      requestAnimationFrame(() => poll(true));
    };
    poll(false);
  });
}

function countElements(root: Element | ShadowRoot): number {
  let n = 0;
  for (const el of root.querySelectorAll('*')) {
    n++;
    if (el.shadowRoot) n += countElements(el.shadowRoot);
  }
  return n;
}

let list: MmClientList | undefined;
let grid: (Grid<ClientSummary> & HTMLElement) | undefined;
let loaded = 0;

async function mountList(o: MountOptions): Promise<FirstRows> {
  const el = document.createElement('mm-client-list');
  el.setAttribute('api-base', o.apiBase);
  el.setAttribute('crm', o.crm);
  el.pageSize = o.pageSize;
  el.token = o.token;
  el.style.setProperty('--mm-client-list-height', '600px');
  const t0 = performance.now();
  document.body.append(el);
  list = el;
  const t1 = await untilPainted(() => !!el.shadowRoot?.querySelector('[part~="row"][data-index]'));
  return { firstRowsMs: t1 - t0 };
}

/**
 * The peer: vaadin-grid with a data provider over the same API pages (same client, same page
 * size, keyset cursors fetched in order). Like the list, its size grows as pages arrive: the
 * rows loaded plus one page while more remain.
 */
async function mountGrid(o: MountOptions): Promise<FirstRows> {
  const client = new CrmClient({ apiBase: o.apiBase, token: o.token });
  const items: ClientSummary[] = [];
  let cursor: string | null | undefined;
  let done = false;
  let chain: Promise<void> = Promise.resolve();
  const loadNext = () =>
    (chain = chain.then(async () => {
      if (done) return;
      const page = await client.listClients(o.crm, {
        sort: 'recent',
        order: 'desc',
        limit: o.pageSize,
        ...(cursor ? { cursor } : {}),
      });
      items.push(...page.items);
      cursor = page.nextCursor;
      done = !cursor;
      loaded = items.length;
    }));
  const el = document.createElement('vaadin-grid') as Grid<ClientSummary> & HTMLElement;
  el.style.height = '600px';
  el.pageSize = o.pageSize;
  const locale = 'en-US';
  // Cells like the list's: avatar with initials, name over email, a status pill, tag chips.
  const column = (
    header: string,
    fill: (root: HTMLElement, c: ClientSummary) => void,
    width?: string,
  ) => {
    const col = document.createElement('vaadin-grid-column') as GridColumn<ClientSummary>;
    col.header = header;
    if (width) col.width = width;
    col.renderer = (root, _column, model) => fill(root, model.item);
    el.append(col);
  };
  const text = (f: (c: ClientSummary) => string) => (root: HTMLElement, c: ClientSummary) => {
    root.textContent = f(c);
  };
  const parts = (root: HTMLElement, html: string): HTMLElement[] => {
    if (!root.firstElementChild) root.innerHTML = html;
    return [...root.querySelectorAll<HTMLElement>('[data-p]')];
  };
  column(
    'Client',
    (root, c) => {
      const [av, name, email] = parts(
        root,
        '<span class="b-client"><span class="b-avatar" data-p></span><span class="b-who"><span data-p></span><span class="b-email" data-p></span></span></span>',
      );
      const n = c.erased ? 'Deleted client' : c.name;
      av!.textContent = initials(n);
      name!.textContent = n;
      email!.textContent = c.email ?? '';
    },
    '280px',
  );
  column(
    'Bookings',
    text((c) => new Intl.NumberFormat(locale).format(c.totalBookings)),
  );
  column(
    'Lifetime spend',
    text((c) => formatMoney(c.lifetimeSpend, locale)),
  );
  column(
    'Last attended',
    text((c) =>
      c.lastAttendedAt
        ? `${formatRelative(c.lastAttendedAt, Date.now(), locale)} (${formatDate(c.lastAttendedAt, locale)})`
        : 'Never',
    ),
  );
  column('Status', (root, c) => {
    const [pill, growing] = parts(
      root,
      '<span class="b-pill" data-p></span><span class="b-pill" data-p></span>',
    );
    pill!.textContent = c.status;
    growing!.textContent = 'Growing';
    growing!.hidden = !c.growing;
  });
  column(
    'Teachers',
    text((c) => (c.teachers ?? []).map((t) => t.name).join(', ')),
  );
  column('Tags', (root, c) => {
    root.replaceChildren(
      ...c.tags.map((t) => {
        const chip = document.createElement('span');
        chip.className = 'b-tag';
        chip.textContent = t;
        return chip;
      }),
    );
  });
  el.dataProvider = (
    params: GridDataProviderParams<ClientSummary>,
    callback: GridDataProviderCallback<ClientSummary>,
  ) => {
    void (async () => {
      const end = (params.page + 1) * params.pageSize;
      while (items.length < end && !done) await loadNext();
      callback(
        items.slice(params.page * params.pageSize, end),
        done ? items.length : items.length + params.pageSize,
      );
    })();
  };
  let first = '';
  void loadNext().then(() => (first = items[0]?.name ?? ''));
  const t0 = performance.now();
  document.body.append(el);
  grid = el;
  const t1 = await untilPainted(() => {
    if (!first) return false;
    for (const name of el.querySelectorAll('vaadin-grid-cell-content .b-who > :first-child')) {
      if (name.textContent === first) return true;
    }
    return false;
  });
  return { firstRowsMs: t1 - t0 };
}

/** Scrolls the mounted component by `step` px every frame for `frames` frames; frame deltas. */
async function scroll(frames: number, step: number): Promise<ScrollResult> {
  const scroller = list
    ? (list.shadowRoot!.querySelector('.body') as HTMLElement)
    : (grid!.shadowRoot!.querySelector('#table') as HTMLElement);
  const deltas: number[] = [];
  let last = await frame();
  const start = scroller.scrollTop;
  for (let i = 0; i < frames; i++) {
    scroller.scrollTop += step;
    const t = await frame();
    deltas.push(t - last);
    last = t;
  }
  const host = (list ?? grid)!;
  const domRows = list
    ? list.shadowRoot!.querySelectorAll('[part~="row"]').length
    : grid!.shadowRoot!.querySelectorAll('#items tr').length;
  const rowsLoaded = list ? lastIndex(list) : loaded;
  return {
    frames: deltas,
    scrolledPx: scroller.scrollTop - start,
    rowsLoaded,
    domRows,
    domElements: countElements(host) + (host.shadowRoot ? countElements(host.shadowRoot) : 0),
  };
}

/** The highest row index rendered plus one: how far into the clients the scroll got. */
function lastIndex(el: MmClientList): number {
  const rows = el.shadowRoot!.querySelectorAll<HTMLElement>('[data-index]');
  return Math.max(0, ...[...rows].map((r) => Number(r.dataset.index) + 1));
}

// -- the list's search box ---------------------------------------------------------------------

/** A request of the list's pages (`GET …/clients`) as the page's fetch saw it. */
interface ListRequest {
  /** Its `q`; null without a search. */
  q: string | null;
  /** A next page (with a cursor), not a first page. */
  next: boolean;
  start: number;
  /** When its response (or failure) came. */
  end?: number;
}

export interface SearchStep {
  /** From the last keystroke's `input` event to the frame after the new first rows. */
  ms: number;
  /** From that `input` event to the first page's request (the element's update). */
  toRequestMs: number;
  /** From the request to the frame after the rows: the server, the response, the render. */
  afterRequestMs: number;
  /** From the request to its response's headers (`fetch` resolved): the server's part. */
  responseMs: number;
  /** First-page requests sent from the first keystroke until `settleMs` after the rows. */
  requests: number;
  /** The list's count line once the rows showed (`1,000+ clients match`). */
  count: string;
}

const ROW0 = '[part~="row"][data-index="0"]';
const listRequests: ListRequest[] = [];
const inputs: number[] = [];
let mark = { requests: 0, inputs: 0 };

/**
 * Records the list's page requests (wrapping `fetch`: ky calls the global one) and the
 * `input` events' times. Called before `mountList` in a page of the search case only.
 */
function watchSearch(): void {
  const send = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (!/\/crms\/[^/]+\/clients$/.test(url.pathname)) return send(input, init);
    const r: ListRequest = {
      q: url.searchParams.get('q'),
      next: url.searchParams.has('cursor'),
      start: performance.now(),
    };
    listRequests.push(r);
    const response = send(input, init);
    const done = () => (r.end = performance.now());
    void response.then(done, done);
    return response;
  };
  document.addEventListener('input', () => inputs.push(performance.now()), true);
}

function searchBox(): HTMLInputElement {
  const input = list?.shadowRoot?.querySelector<HTMLInputElement>('input[part~="search"]');
  if (!input) throw new Error('no search box in the list');
  return input;
}

/** The mounted list's first row's client id (the unsearched list's, to compare after a clear). */
function firstClientId(): string {
  const row = list?.shadowRoot?.querySelector<HTMLElement>(ROW0);
  if (!row?.dataset.clientId) throw new Error('no first row in the list');
  return row.dataset.clientId;
}

/** Before the keys: the search box focused with its text selected, so that typing replaces it. */
function searchBegin(): void {
  const input = searchBox();
  input.focus();
  input.select();
  mark = { requests: listRequests.length, inputs: inputs.length };
}

/**
 * After the keys: waits until the list's first page for `q` (trimmed as the list does; `''`:
 * the unsearched list) was requested after the last keystroke and answered, the list is no
 * longer busy and shows a first row (or the empty state); then checks that row: it contains `q`
 * (name or email), or for the unsearched list it is client `firstId` again. Throws, with what
 * the list showed, when the rows never come or do not match.
 */
async function searchSettled(
  want: { q: string; firstId: string },
  timeoutMs: number,
  settleMs: number,
): Promise<SearchStep> {
  const root = list!.shadowRoot!;
  const q = want.q.trim() || null;
  const lastInput = () => inputs.at(-1) ?? NaN;
  const request = () =>
    listRequests
      .slice(mark.requests)
      .findLast((r) => !r.next && r.q === q && r.start >= lastInput() && r.end !== undefined);
  const busy = () => root.querySelector('.main')?.getAttribute('aria-busy') !== 'false';
  const row = () => root.querySelector<HTMLElement>(ROW0);
  const state = () =>
    `the first rows of ${JSON.stringify(want.q)}: ${inputs.length - mark.inputs} input events, requests ${JSON.stringify(listRequests.slice(mark.requests))}, busy ${busy()}, first row ${JSON.stringify(row()?.textContent?.replace(/\s+/g, ' ').trim().slice(0, 80) ?? null)}`;
  const t1 = await whenPainted(
    root,
    () =>
      inputs.length > mark.inputs &&
      !!request() &&
      !busy() &&
      !!(row() ?? root.querySelector('[part="empty"]')),
    timeoutMs,
    state,
  );
  const first = row();
  const text = (first?.textContent ?? '').toLowerCase();
  const ok = q
    ? !first || text.includes(q.toLowerCase())
    : first?.dataset.clientId === want.firstId;
  if (!ok) throw new Error(`wrong first row for ${state()}`);
  const r = request()!;
  const input = lastInput();
  const count = root.querySelector('[part="count"]')?.textContent?.trim() ?? '';
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return {
    ms: t1 - input,
    toRequestMs: r.start - input,
    afterRequestMs: t1 - r.start,
    responseMs: r.end! - r.start,
    requests: listRequests.slice(mark.requests).filter((x) => !x.next).length,
    count,
  };
}

interface NotesOptions {
  apiBase: string;
  crm: string;
  token: string;
  clientId: string;
  saveDelay: number;
}

const notesLog = { inputs: [] as number[], drafts: [] as number[], saved: [] as number[] };
let notes: MmClientNotes | undefined;

async function mountNotes(o: NotesOptions): Promise<void> {
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (this: Storage, key: string, value: string) {
    setItem.call(this, key, value);
    if (key.startsWith('mm-notes:')) notesLog.drafts.push(performance.now());
  };
  document.addEventListener('input', () => notesLog.inputs.push(performance.now()), true);
  const el = document.createElement('mm-client-notes');
  el.setAttribute('api-base', o.apiBase);
  el.setAttribute('crm', o.crm);
  el.setAttribute('client-id', o.clientId);
  el.saveDelay = o.saveDelay;
  el.token = o.token;
  el.addEventListener('mm-note-saved', () => notesLog.saved.push(performance.now()));
  document.body.append(el);
  notes = el;
  await untilPainted(
    () =>
      !!el.shadowRoot?.querySelector('textarea') &&
      (el.saveState === 'idle' || el.saveState === 'saved'),
  );
  el.shadowRoot!.querySelector('textarea')!.focus();
}

/** After a burst of typing: waits until the server confirmed the last text; the two delays. */
async function notesSettled(): Promise<{ draftMs: number; ackMs: number }> {
  const el = notes!;
  const lastInput = notesLog.inputs.at(-1)!;
  const start = performance.now();
  while (el.hasUnsavedChanges || !notesLog.saved.some((t) => t >= lastInput)) {
    if (performance.now() - start > 30_000) throw new Error(`not saved: ${el.saveState}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const draft = notesLog.drafts.find((t) => t >= lastInput);
  const ack = notesLog.saved.filter((t) => t >= lastInput).at(-1)!;
  return { draftMs: (draft ?? NaN) - lastInput, ackMs: ack - lastInput };
}

declare global {
  interface Window {
    bench: {
      mountList: typeof mountList;
      mountGrid: typeof mountGrid;
      scroll: typeof scroll;
      watchSearch: typeof watchSearch;
      firstClientId: typeof firstClientId;
      searchBegin: typeof searchBegin;
      searchSettled: typeof searchSettled;
      mountNotes: typeof mountNotes;
      notesSettled: typeof notesSettled;
    };
  }
}

window.bench = {
  mountList,
  mountGrid,
  scroll,
  watchSearch,
  firstClientId,
  searchBegin,
  searchSettled,
  mountNotes,
  notesSettled,
};
