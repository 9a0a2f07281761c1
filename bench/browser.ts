/**
 * Browser benchmark: `<mm-client-list>` and the peer `<vaadin-grid>` (same API pages through the
 * same CrmClient, same page size, same 600 px height, same page) over CRMs of 20,000 and
 * 100,000 clients, in headless Chromium. Each run opens a fresh page, mounts one component,
 * measures append → first rows painted, then scrolls it by `step` px every frame for `frames`
 * frames (requestAnimationFrame deltas), and counts the rows and elements in its DOM. Runs
 * alternate list and grid so that machine noise hits both alike.
 */
import { sql } from 'kysely';
import { generateBenchCrm } from '../demo/server/seed/generate.js';
import { NOW } from './server.js';
import { startSite } from './site.js';
import { percentile, round, summarise, type Summary } from './stats.js';

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

export interface BrowserResult {
  chromium: string;
  pageSize: number;
  frames: number;
  step: number;
  cases: BrowserCase[];
  ratios: { clients: number; firstRowsP50: number; scrollP95: number }[];
}

export async function browserBench(opts: {
  sizes: number[];
  runs: number;
  frames: number;
  step: number;
  pageSize?: number;
  log: (line: string) => void;
}): Promise<BrowserResult> {
  const pageSize = opts.pageSize ?? 100;
  const site = await startSite();
  try {
    const crms: { clients: number; crmId: string; token: string }[] = [];
    for (const clients of opts.sizes) {
      const started = Date.now();
      const g = await generateBenchCrm(site.api.db, { clients, now: new Date(NOW) });
      crms.push({ clients, crmId: g.crmId, token: g.token });
      opts.log(`generated ${clients} clients in ${Date.now() - started} ms`);
    }
    await sql`analyze`.execute(site.api.db);
    const cases: BrowserCase[] = [];
    for (const crm of crms) {
      const samples = { 'mm-client-list': emptySamples(), 'vaadin-grid': emptySamples() };
      // one warm-up of each (JIT, server caches), not recorded
      for (let run = -1; run < opts.runs; run++) {
        for (const component of ['mm-client-list', 'vaadin-grid'] as const) {
          const page = await site.newPage();
          try {
            const mount = { apiBase: site.origin, crm: crm.crmId, token: crm.token, pageSize };
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
    const ratios = crms.map(({ clients }) => {
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
    };
  } finally {
    await site.close();
  }
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
