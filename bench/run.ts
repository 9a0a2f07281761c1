/**
 * `npm run bench [-- <parts>] [flags]`: the benchmarks of issue 7. Prints a table per part and
 * merges the figures into bench/results.json (with the machine they were taken on).
 *
 * Parts (default all): `server` (list latency and CSV export, PGlite and PostgreSQL, each in a
 * child process), `browser` (mm-client-list vs vaadin-grid: first rows and scrolling; the
 * list's search box: last keystroke to the new first rows), `bundle`, `notes`, `sessions`
 * (a week of sessions and a 30-person roster in a 20,000-client studio, PGlite).
 *
 * Flags: --clients N (server CRM, 100000) --requests N (per case, 200) --db pglite,postgres
 *   --sizes 20000,100000 (browser CRMs) --runs N (browser runs per case, 5) --frames N (300)
 *   --step PX (scroll per frame, 120) --saves N (notes, 200) --save-delay MS (notes, 20)
 *   --studio N (sessions part, 20000) --quick (small sizes for a trial run)
 *   --server-parts export,list,segments (what the server part measures: the CSV export, list
 *   pages by sort and search, first pages of segments; also `search`: first pages of 1 to 3+
 *   character searches by every sort, and `upsert`: booking upserts with and without the
 *   trigram indexes, both saved under `search` in results.json)
 *   --browser-cases scroll,search (what the browser part measures: first rows and scrolling of
 *   the list and the grid; the list's search box, saved under `browser.search`; a case not run
 *   keeps its figures in results.json) --search-rounds N (times each browser run types every
 *   search, 2)
 *   --data-dir DIR (server part, PGlite only, and browser part: a copy of a data directory
 *   holding a bench CRM, from `npm run seed -- --clients N`, instead of generating one; the
 *   upsert case writes to it; the browser part measures that CRM instead of --sizes)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BrowserCaseName, BrowserResult } from './browser.js';
import type { ServerResult } from './server.js';
import { findChromium } from '../test/helpers/chromium.js';
import { mb, readResults, saveByDb, saveResults, table } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    clients: { type: 'string' },
    requests: { type: 'string' },
    db: { type: 'string', default: 'pglite,postgres' },
    sizes: { type: 'string' },
    runs: { type: 'string' },
    frames: { type: 'string' },
    step: { type: 'string', default: '120' },
    saves: { type: 'string' },
    'save-delay': { type: 'string', default: '20' },
    studio: { type: 'string' },
    'server-parts': { type: 'string', default: 'export,list,segments' },
    'browser-cases': { type: 'string', default: 'scroll,search' },
    'search-rounds': { type: 'string' },
    'data-dir': { type: 'string' },
  },
});
const quick = values.quick;
const num = (v: string | undefined, full: number, small: number) =>
  v ? Number(v) : quick ? small : full;
const opts = {
  clients: num(values.clients, 100_000, 5_000),
  requests: num(values.requests, 200, 20),
  dbs: values.db.split(',').filter((d) => d === 'pglite' || d === 'postgres'),
  sizes: values.sizes ? values.sizes.split(',').map(Number) : quick ? [2_000] : [20_000, 100_000],
  runs: num(values.runs, 5, 1),
  frames: num(values.frames, 300, 120),
  step: Number(values.step),
  saves: num(values.saves, 200, 20),
  saveDelay: Number(values['save-delay']),
  studio: num(values.studio, 20_000, 2_000),
  serverParts: values['server-parts'],
  browserCases: values['browser-cases'].split(',') as BrowserCaseName[],
  searchRounds: num(values['search-rounds'], 2, 1),
  dataDir: values['data-dir'],
};
for (const c of opts.browserCases) {
  if (c !== 'scroll' && c !== 'search')
    throw new Error(`unknown browser case ${c}: scroll, search`);
}
const PARTS = ['server', 'browser', 'bundle', 'notes', 'sessions'] as const;
const parts = positionals.length ? positionals : [...PARTS];
for (const p of parts) {
  if (!(PARTS as readonly string[]).includes(p))
    throw new Error(`unknown part ${p}; parts: ${PARTS.join(', ')}`);
}
const log = (line: string) => console.error(`  ${line}`);

async function machine() {
  let chromium = '';
  try {
    chromium = execFileSync((await findChromium()).path, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // reported by the browser part
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    chromium,
    date: new Date().toISOString(),
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

/** Runs bench/server.ts in a child process (with a throwaway PostgreSQL for `postgres`). */
function serverChild(db: string): Promise<ServerResult> {
  const dir = mkdtempSync(join(tmpdir(), 'mm-bench-'));
  const out = join(dir, `${db}.json`);
  const node = [
    'node',
    '--expose-gc',
    '--import',
    'tsx',
    'bench/server.ts',
    '--db',
    db,
    '--clients',
    String(opts.clients),
    '--requests',
    String(opts.requests),
    '--out',
    out,
    '--parts',
    opts.serverParts,
    ...(opts.dataDir && db === 'pglite' ? ['--data-dir', opts.dataDir] : []),
  ];
  const [cmd, ...args] =
    db === 'postgres' ? ['bash', 'test/server/with-postgres.sh', '--', ...node] : node;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd!, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`server benchmark (${db}) exited with ${code}`);
        resolve(JSON.parse(readFileSync(out, 'utf8')) as ServerResult);
      } catch (err) {
        reject(err as Error);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

const info = await machine();
console.log(
  `Machine: ${info.cpu}, ${info.cores} cores, ${info.ramGb} GB RAM, Node ${info.node}, ${info.chromium}; load average ${info.loadAverageAtStart.join(' ')}`,
);
saveResults('machine', info);

if (parts.includes('server')) {
  const results: ServerResult[] = [];
  for (const db of opts.dbs) {
    console.error(`server (${db}): ${opts.clients} clients, ${opts.requests} requests per case`);
    results.push(await serverChild(db));
  }
  const measured = new Set(opts.serverParts.split(','));
  // The search cases and upserts (issue 18) have their own entry, so either can be re-run alone.
  if (['export', 'list', 'segments'].some((p) => measured.has(p))) saveByDb('server', results);
  if (measured.has('search') || measured.has('upsert')) {
    saveByDb(
      'search',
      results.map((r) => ({
        db: r.db,
        clients: r.clients,
        bookings: r.bookings,
        requests: r.requests,
        search: r.search,
        upsert: r.upsert,
      })),
    );
  }
  for (const r of results.filter((x) => x.search.length > 0)) {
    console.log(
      `\nFirst page of a search, ${r.clients} clients, ${r.db}, ${r.requests} requests per case (ms; db = the rhythm probe, the capped count, then the page)`,
    );
    console.log(
      table([
        [
          'search',
          'kind',
          'sort',
          'matching',
          'db p50',
          'db p95',
          'page p95',
          'count p95',
          'http p95',
          'load',
        ],
        ...r.search.map((c) => [
          c.search,
          c.kind,
          c.sort,
          c.matching,
          c.db.p50,
          c.db.p95,
          c.pageQuery.p95,
          c.countQuery.p95,
          c.http.p95,
          c.load,
        ]),
      ]),
    );
  }
  for (const r of results.filter((x) => x.upsert)) {
    const u = r.upsert!;
    console.log(
      `\nBooking upsert, ${r.db}, 100 each (ms): with the search index p50 ${u.withIndexes.p50} p95 ${u.withIndexes.p95}; without p50 ${u.withoutIndexes.p50} p95 ${u.withoutIndexes.p95}; with again p50 ${u.withIndexesAgain.p50} p95 ${u.withIndexesAgain.p95}; GIN pending-list flush ${u.pendingFlushMs} ms (load ${u.load})`,
    );
  }
  for (const r of results) {
    console.log(
      `\nList page of 50, ${r.clients} clients, ${r.db}, ${r.requests} requests per case (ms; db = the route's queries: page + count on the first page, page alone after a cursor)`,
    );
    console.log(
      table([
        [
          'sort',
          'search',
          'depth',
          'db p50',
          'db p95',
          'page p95',
          'count p95',
          'http p50',
          'http p95',
        ],
        ...r.list.map((c) => [
          c.sort,
          c.search || '-',
          c.depth,
          c.db.p50,
          c.db.p95,
          c.pageQuery.p95,
          c.countQuery?.p95 ?? '-',
          c.http.p50,
          c.http.p95,
        ]),
      ]),
    );
  }
  for (const r of results) {
    console.log(
      `\nFirst page of a segment, ${r.clients} clients, ${r.db} (ms; db = the rhythm refresh probe, the page and the count)`,
    );
    console.log(
      table([
        ['segment', 'order', 'matching', 'db p50', 'db p95', 'page p95', 'count p95', 'http p95'],
        ...r.segments.map((c) => [
          c.segment,
          c.sort,
          c.matching,
          c.db.p50,
          c.db.p95,
          c.pageQuery.p95,
          c.countQuery.p95,
          c.http.p95,
        ]),
      ]),
    );
  }
  console.log('\nCSV export of every client');
  console.log(
    table([
      [
        'db',
        'clients',
        'ms',
        'MB',
        'idle RSS MB',
        'peak RSS over idle MB',
        'peak heap over idle MB',
      ],
      ...results.flatMap((r) =>
        r.export
          ? [
              [
                r.db,
                r.export.rows,
                r.export.ms,
                mb(r.export.bytes),
                r.export.idleRssMb,
                r.export.peakRssOverIdleMb,
                r.export.peakHeapOverIdleMb,
              ],
            ]
          : [],
      ),
    ]),
  );
}

if (parts.includes('browser')) {
  const { browserBench } = await import('./browser.js');
  const scroll = opts.browserCases.includes('scroll');
  console.error(
    `browser (${opts.browserCases.join(', ')}): ${opts.sizes.join(', ')} clients, ${opts.runs} runs, ${opts.frames} frames of ${opts.step} px, ${opts.searchRounds} search rounds per run`,
  );
  const r = await browserBench({
    sizes: opts.sizes,
    runs: opts.runs,
    frames: opts.frames,
    step: opts.step,
    cases: opts.browserCases,
    searchRounds: opts.searchRounds,
    dataDir: opts.dataDir,
    log,
  });
  // A case not run keeps its figures from results.json.
  const kept = readResults('browser') as BrowserResult | undefined;
  saveResults(
    'browser',
    scroll ? { ...r, search: r.search ?? kept?.search } : { ...kept, search: r.search },
  );
  if (r.search) {
    const s = r.search;
    console.log(
      `\nList search (mm-client-list), keys ${s.keyDelayMs} ms apart, ${s.runs} runs × ${s.rounds} rounds (ms: last keystroke's input event → the frame after the new first rows; "response": the request to its response's headers)`,
    );
    console.log(
      table([
        [
          'clients',
          'search',
          'kind',
          'n',
          'p50',
          'p95',
          'max',
          'to request p50',
          'after request p50',
          'after request p95',
          'response p50',
          'response p95',
          'requests (mean/max)',
          'count',
        ],
        ...[
          ...s.cases.map((c) => ({ ...c, search: c.query || '(cleared)' })),
          ...s.overall.map((o) => ({ ...o, search: 'overall', kind: 'all', requests: null })),
        ].map((c) => [
          c.clients,
          c.search,
          c.kind,
          c.ms.n,
          c.ms.p50,
          c.ms.p95,
          c.ms.max,
          c.toRequest.p50,
          c.afterRequest.p50,
          c.afterRequest.p95,
          c.response.p50,
          c.response.p95,
          c.requests ? `${c.requests.mean}/${c.requests.max}` : '',
          'count' in c ? c.count : '',
        ]),
      ]),
    );
  }
  if (scroll) {
    console.log(
      `\nBrowser (${r.chromium}), page size ${r.pageSize}, ${opts.runs} runs, scroll ${r.frames} frames × ${r.step} px (ms)`,
    );
    console.log(
      table([
        [
          'component',
          'clients',
          'first rows p50',
          'first rows p95',
          'frame p50',
          'frame p95',
          'frames >33ms',
          'DOM rows',
          'elements',
        ],
        ...r.cases.map((c) => [
          c.component,
          c.clients,
          c.firstRows.p50,
          c.firstRows.p95,
          c.frames.p50,
          c.frames.p95,
          `${c.frames.over33}/${c.frames.total}`,
          c.domRows,
          c.domElements,
        ]),
      ]),
    );
    console.log(
      table([
        ['clients', 'first rows list/grid', 'frame p95 list/grid'],
        ...r.ratios.map((x) => [x.clients, x.firstRowsP50, x.scrollP95]),
      ]),
    );
  }
}

if (parts.includes('bundle')) {
  const { bundleBench } = await import('./bundle.js');
  const r = await bundleBench();
  saveResults('bundle', r);
  const kb = (n: number) => Math.round(n / 102.4) / 10;
  console.log('\nBundle sizes (KiB)');
  console.log(
    table([
      ['bundle', 'minified', 'gzip', 'brotli'],
      ...[r.standalone, ...r.entries].map((s) => [s.name, kb(s.bytes), kb(s.gzip), kb(s.brotli)]),
    ]),
  );
}

if (parts.includes('notes')) {
  const { notesBench } = await import('./notes.js');
  console.error(`notes: ${opts.saves} saves, save-delay ${opts.saveDelay} ms`);
  const r = await notesBench({ saves: opts.saves, saveDelay: opts.saveDelay, log });
  saveResults('notes', r);
  console.log(
    `\nNotes: last keystroke to ... (${r.saves} saves, save-delay ${r.saveDelayMs} ms; ms)`,
  );
  console.log(
    table([
      ['', 'p50', 'p95', 'max'],
      ['local draft written', r.draft.p50, r.draft.p95, r.draft.max],
      ['server acknowledged', r.ack.p50, r.ack.p95, r.ack.max],
      ['  minus the save delay', r.ackMinusDelay.p50, r.ackMinusDelay.p95, r.ackMinusDelay.max],
    ]),
  );
}
if (parts.includes('sessions')) {
  const { sessionsBench } = await import('./sessions.js');
  console.error(`sessions: a ${opts.studio}-client studio, ${opts.requests} requests per case`);
  const r = await sessionsBench({ clients: opts.studio, requests: opts.requests, log });
  saveResults('sessions', r);
  console.log(
    `\nSessions, ${r.clients}-client studio (${r.bookings} bookings, ${r.sessionsInWeek} sessions in the week), ${r.db}, ${r.requests} requests per case (ms; target: db p95 < 20)`,
  );
  console.log(
    table([
      ['case', 'rows', 'db p50', 'db p95', 'http p50', 'http p95'],
      ...r.cases.map((c) => [c.name, c.rows, c.db.p50, c.db.p95, c.http.p50, c.http.p95]),
    ]),
  );
}
saveResults('machine', {
  ...info,
  loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100),
});
