/**
 * Browser benchmark over CRMs of 20,000 and 100,000 clients, in headless Chromium. Two cases:
 *
 * - `scroll`: `<mm-client-list>` and the peer `<vaadin-grid>` (same API pages through the same
 *   CrmClient, same page size, same 600 px height, same page). Each run opens a fresh page,
 *   mounts one component, measures append → first rows painted, then scrolls it by `step` px
 *   every frame for `frames` frames (requestAnimationFrame deltas), and counts the rows and
 *   elements in its DOM. Runs alternate list and grid so that machine noise hits both alike.
 * - `search`: `<mm-client-list>`'s search box (issue 18). Each run opens a fresh page, mounts
 *   the list, and for each search types it with real keys (the box's text selected first, so
 *   the keys replace it), then clears the box (Backspace) back to the unsearched list; each
 *   time the page measures from the last keystroke's `input` event to the frame after the list
 *   shows the new first rows, and counts the first-page requests sent.
 */
import { sql } from 'kysely';
import type { Page } from 'puppeteer-core';
import type { RunningServer } from '../demo/server/index.js';
import { generateBenchCrm } from '../demo/server/seed/generate.js';
import type { SearchStep } from './pages/page.js';
import { existingBenchCrm, NOW, searchTerms } from './server.js';
import { startSite } from './site.js';
import { percentile, round, summarise, type Summary } from './stats.js';

export const BROWSER_CASES = ['scroll', 'search'] as const;
export type BrowserCaseName = (typeof BROWSER_CASES)[number];

export interface BrowserCase {
  component: 'mm-client-list' | 'vaadin-grid';
  clients: number;
  runs: number;
  firstRows: Summary;
  frames: Summary & { over33: number; total: number; over33Share: number };
  domRows: number;
  domElements: number;
  scrolledPx: number;
  rowsReached: number;
}

/** One search typed into the list's box (or the box cleared), over the runs of one CRM size. */
export interface SearchCase {
  clients: number;
  /** The text typed; `''`: the box cleared back to the unsearched list. */
  query: string;
  kind: string;
  /** Last keystroke's `input` event → the frame after the new first rows. */
  ms: Summary;
  /** Last keystroke → the first page's request: the element's update and the request's start. */
  toRequest: Summary;
  /** The request → the frame after the rows: server, response, render. */
  afterRequest: Summary;
  /** The request → its response's headers: the server's part of `afterRequest`. */
  response: Summary;
  /** First-page requests per typed query (one per keystroke; superseded ones aborted): mean and most. */
  requests: { mean: number; max: number };
  /** The list's count line at the last sample ("1,000+ clients match"). */
  count: string;
}

export interface BrowserSearchResult {
  chromium: string;
  /** Between keystrokes (puppeteer's delay between a key's down and up). */
  keyDelayMs: number;
  runs: number;
  /** Times each run types every search. */
  rounds: number;
  cases: SearchCase[];
  /** Every sample of a CRM size, the clears included. */
  overall: {
    clients: number;
    ms: Summary;
    toRequest: Summary;
    afterRequest: Summary;
    response: Summary;
  }[];
}

export interface BrowserResult {
  chromium: string;
  pageSize: number;
  frames: number;
  step: number;
  /** The scroll case (empty when only the search case ran). */
  cases: BrowserCase[];
  ratios: { clients: number; firstRowsP50: number; scrollP95: number }[];
  /** The search case, when it ran. */
  search?: BrowserSearchResult;
}

/** Between keystrokes: a fast typist (~240 words a minute). */
const KEY_DELAY_MS = 50;
/** One search's rows, before the case fails. */
const SEARCH_TIMEOUT_MS = 30_000;
/** After the rows, before the next keys: late requests are counted, follow-up work settles. */
const SEARCH_SETTLE_MS = 400;

export async function browserBench(opts: {
  sizes: number[];
  runs: number;
  frames: number;
  step: number;
  pageSize?: number;
  /** Which cases (default both). */
  cases?: readonly BrowserCaseName[];
  /** Search case: times each run types every search (default 2). */
  searchRounds?: number;
  /** A copy of a PGlite data directory holding a bench CRM: measured instead of `sizes`. */
  dataDir?: string | undefined;
  log: (line: string) => void;
}): Promise<BrowserResult> {
  const pageSize = opts.pageSize ?? 100;
  const which = new Set(opts.cases ?? BROWSER_CASES);
  const site = await startSite(opts.dataDir);
  try {
    const crms: { clients: number; crmId: string; token: string }[] = [];
    if (opts.dataDir) {
      const { clients, crmId, token } = await existingBenchCrm(site.api.db);
      crms.push({ clients, crmId, token });
    }
    for (const clients of opts.dataDir ? [] : opts.sizes) {
      const started = Date.now();
      const g = await generateBenchCrm(site.api.db, { clients, now: new Date(NOW) });
      crms.push({ clients, crmId: g.crmId, token: g.token });
      opts.log(`generated ${clients} clients in ${Date.now() - started} ms`);
    }
    await sql`analyze`.execute(site.api.db);
    const cases: BrowserCase[] = [];
    const search: { cases: SearchCase[]; overall: BrowserSearchResult['overall'] } = {
      cases: [],
      overall: [],
    };
    const mountOf = (crm: (typeof crms)[number]) => ({
      apiBase: site.origin,
      crm: crm.crmId,
      token: crm.token,
      pageSize,
    });
    for (const crm of which.has('scroll') ? crms : []) {
      const mount = mountOf(crm);
      const samples = { 'mm-client-list': emptySamples(), 'vaadin-grid': emptySamples() };
      // one warm-up of each (JIT, server caches), not recorded
      for (let run = -1; run < opts.runs; run++) {
        for (const component of ['mm-client-list', 'vaadin-grid'] as const) {
          const page = await site.newPage();
          try {
            const first =
              component === 'mm-client-list'
                ? await page.evaluate((o) => window.bench.mountList(o), mount)
                : await page.evaluate((o) => window.bench.mountGrid(o), mount);
            // let the first page's follow-up work (tags, teachers, images) settle before scrolling
            await new Promise((r) => setTimeout(r, 500));
            const s = await page.evaluate(
              (f, st) => window.bench.scroll(f, st),
              opts.frames,
              opts.step,
            );
            if (run < 0) continue;
            const bucket = samples[component];
            bucket.first.push(first.firstRowsMs);
            bucket.frames.push(...s.frames);
            bucket.last = {
              domRows: s.domRows,
              domElements: s.domElements,
              scrolledPx: s.scrolledPx,
              rowsLoaded: s.rowsLoaded,
            };
            opts.log(
              `${component} ${crm.clients}: first rows ${round(first.firstRowsMs)} ms, frames p95 ${round(percentile(s.frames, 95))} ms, >33ms ${s.frames.filter((f) => f > 33.4).length}/${s.frames.length}, DOM rows ${s.domRows}, scrolled ${Math.round(s.scrolledPx)} px`,
            );
          } finally {
            await page.close();
          }
        }
      }
      for (const component of ['mm-client-list', 'vaadin-grid'] as const) {
        const b = samples[component];
        const over33 = b.frames.filter((f) => f > 33.4).length;
        cases.push({
          component,
          clients: crm.clients,
          runs: opts.runs,
          firstRows: summarise(b.first),
          frames: {
            ...summarise(b.frames),
            over33,
            total: b.frames.length,
            over33Share: round(over33 / b.frames.length, 4),
          },
          domRows: b.last!.domRows,
          domElements: b.last!.domElements,
          scrolledPx: Math.round(b.last!.scrolledPx),
          rowsReached: b.last!.rowsLoaded,
        });
      }
    }
    for (const crm of which.has('search') ? crms : []) {
      const r = await searchCase(site.newPage, crm, mountOf(crm), {
        runs: opts.runs,
        rounds: opts.searchRounds ?? 2,
        db: site.api.db,
        log: opts.log,
      });
      search.cases.push(...r.cases);
      search.overall.push(r.overall);
    }
    const ratios = (which.has('scroll') ? crms : []).map(({ clients }) => {
      const l = cases.find((c) => c.clients === clients && c.component === 'mm-client-list')!;
      const g = cases.find((c) => c.clients === clients && c.component === 'vaadin-grid')!;
      return {
        clients,
        firstRowsP50: round(l.firstRows.p50 / g.firstRows.p50),
        scrollP95: round(l.frames.p95 / g.frames.p95),
      };
    });
    return {
      chromium: site.chromium,
      pageSize,
      frames: opts.frames,
      step: opts.step,
      cases,
      ratios,
      ...(which.has('search')
        ? {
            search: {
              chromium: site.chromium,
              keyDelayMs: KEY_DELAY_MS,
              runs: opts.runs,
              rounds: opts.searchRounds ?? 2,
              ...search,
            },
          }
        : {}),
    };
  } finally {
    await site.close();
  }
}

interface MountOptions {
  apiBase: string;
  crm: string;
  token: string;
  pageSize: number;
}

/**
 * The search case at one CRM size: per run a fresh page and list; per round each search typed
 * (replacing the box's text), then the box cleared. One warm-up run of one round first.
 */
async function searchCase(
  newPage: () => Promise<Page>,
  crm: { clients: number; crmId: string },
  mount: MountOptions,
  opts: { runs: number; rounds: number; db: RunningServer['db']; log: (line: string) => void },
) {
  // the server part's searches; the email fragment of a client within the CRM however small
  const terms = await searchTerms(opts.db, crm.crmId, Math.min(1000, Math.floor(crm.clients / 2)));
  const CLEARED = ['', 'cleared: the unsearched list'] as const;
  const samples = new Map<string, { kind: string; steps: SearchStep[] }>(
    [...terms, CLEARED].map(([q, kind]) => [q, { kind, steps: [] }]),
  );
  for (let run = -1; run < opts.runs; run++) {
    const page = await newPage();
    try {
      await page.evaluate(() => window.bench.watchSearch());
      await page.evaluate((o) => window.bench.mountList(o), mount);
      // let the first page's follow-up work (tags, teachers, images) settle before typing
      await new Promise((r) => setTimeout(r, 500));
      const firstId = await page.evaluate(() => window.bench.firstClientId());
      const ms: number[] = [];
      for (let round = 0; round < (run < 0 ? 1 : opts.rounds); round++) {
        for (const [query] of terms) {
          for (const typed of [query, '']) {
            const step = await typeSearch(page, typed, firstId);
            if (run < 0) continue;
            samples.get(typed)!.steps.push(step);
            ms.push(step.ms);
          }
        }
      }
      if (run >= 0) {
        opts.log(
          `search ${crm.clients}, run ${run + 1}: keystroke to first rows p50 ${round(percentile(ms, 50))} ms, p95 ${round(percentile(ms, 95))} ms, max ${round(Math.max(...ms))} ms`,
        );
      }
    } finally {
      await page.close();
    }
  }
  const cases: SearchCase[] = [...samples].map(([query, { kind, steps }]) => ({
    clients: crm.clients,
    query,
    kind,
    ...summariseSteps(steps),
    requests: {
      mean: round(steps.reduce((n, s) => n + s.requests, 0) / steps.length),
      max: Math.max(...steps.map((s) => s.requests)),
    },
    count: steps.at(-1)!.count,
  }));
  const all = [...samples.values()].flatMap((s) => s.steps);
  return { cases, overall: { clients: crm.clients, ...summariseSteps(all) } };
}

/** Types `q` into the list's search box (`''`: clears it) and waits for its first rows. */
async function typeSearch(page: Page, q: string, firstId: string): Promise<SearchStep> {
  await page.evaluate(() => window.bench.searchBegin());
  if (q) await page.keyboard.type(q, { delay: KEY_DELAY_MS });
  else await page.keyboard.press('Backspace');
  return page.evaluate(
    (want, timeout, settle) => window.bench.searchSettled(want, timeout, settle),
    { q, firstId },
    SEARCH_TIMEOUT_MS,
    SEARCH_SETTLE_MS,
  );
}

function summariseSteps(steps: readonly SearchStep[]) {
  return {
    ms: summarise(steps.map((s) => s.ms)),
    toRequest: summarise(steps.map((s) => s.toRequestMs)),
    afterRequest: summarise(steps.map((s) => s.afterRequestMs)),
    response: summarise(steps.map((s) => s.responseMs)),
  };
}

/** One component's figures over the runs of one CRM size. */
function emptySamples() {
  return {
    first: [] as number[],
    frames: [] as number[],
    last: undefined as
      undefined | { domRows: number; domElements: number; scrolledPx: number; rowsLoaded: number },
  };
}
