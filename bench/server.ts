/**
 * Server benchmark, one database per process (run by bench/run.ts as a child process with
 * `--expose-gc`, so memory figures are this server's alone):
 *
 *   node --expose-gc --import tsx bench/server.ts --db pglite|postgres --clients 100000 \
 *     --requests 200 --out /tmp/server-pglite.json
 *
 * 1. Generates one studio CRM of N clients with the seed generator (then ANALYZE, as
 *    autovacuum would do shortly after a bulk load).
 * 2. CSV export of the whole CRM over HTTP: time, bytes, and peak memory over the idle server
 *    (sampled every 5 ms and at every chunk; gc() before the idle sample).
 * 3. List pages of 50 at the first, middle and last page depth, by every sort (default
 *    order), without and with a search; per request: database time (the route's queries
 *    called directly, as the route runs them: page and count on the first page, the page
 *    alone after a cursor, which carries the total), the page query alone, the count, and
 *    the HTTP round trip (fetch + JSON, keep-alive, loopback).
 *
 * PostgreSQL: `--db postgres` reads TEST_DATABASE_URL (bench/run.ts starts a throwaway server
 * through test/server/with-postgres.sh).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { ClientSort, SortOrder } from '../src/api/schemas.js';
import { startServer, type RunningServer } from '../demo/server/index.js';
import { generateBenchCrm } from '../demo/server/seed/generate.js';
import {
  clientPage,
  countClients,
  effectiveOrder,
  listSort,
  type ClientFilters,
  type ClientKey,
} from '../demo/server/domain/clients.js';
import { refreshExpiredRhythm } from '../demo/server/domain/insight.js';
import type { CrmAccess } from '../demo/server/domain/context.js';
import { CursorCodec } from '../demo/server/http/cursor.js';
import { toIso, toNumber } from '../demo/server/db/schema.js';
import { mb, round, summarise, timed, type Summary } from './stats.js';

export const NOW = '2026-06-15T12:00:00.000Z';
const SECRET = 'bench-cursor-secret';
const PAGE = 50;
export const SEARCH = 'sofia';

const SORTS: { sort: ClientSort; order: SortOrder; column: string }[] = [
  { sort: 'recent', order: 'desc', column: 'recent_key' },
  { sort: 'name', order: 'asc', column: 'name_key' },
  { sort: 'bookings', order: 'desc', column: 'total_bookings' },
  { sort: 'spend', order: 'desc', column: 'lifetime_spend' },
  { sort: 'firstBooking', order: 'asc', column: 'first_key' },
];

export interface ListCase {
  sort: ClientSort;
  search: string;
  depth: 'first' | 'middle' | 'last';
  offset: number;
  matching: number;
  db: Summary;
  pageQuery: Summary;
  /** The count a first page runs (later pages carry the total in the cursor). */
  countQuery: Summary | null;
  http: Summary;
}

/** The first page of a segment (SPEC section 8: slipping, most overdue first by default). */
export interface SegmentCase {
  segment: 'slipping' | 'growing';
  /** `overdue` when no sort is given (the slipping segment's own order). */
  sort: string;
  matching: number;
  /** What the route waits on: the rhythm refresh probe, then the page and the count. */
  db: Summary;
  pageQuery: Summary;
  countQuery: Summary;
  http: Summary;
}

export interface ServerResult {
  db: 'pglite' | 'postgres';
  clients: number;
  bookings: number;
  seedMs: number;
  requests: number;
  export: null | {
    ms: number;
    bytes: number;
    rows: number;
    idleRssMb: number;
    idleHeapMb: number;
    peakRssOverIdleMb: number;
    peakHeapOverIdleMb: number;
    peakExternalOverIdleMb: number;
  };
  list: ListCase[];
  segments: SegmentCase[];
}

function keyOf(sort: ClientSort, row: Record<string, unknown>): string | number {
  switch (sort) {
    case 'recent':
      return toIso(row.last_booking_at as Date | null) ?? '-infinity';
    case 'firstBooking':
      return toIso(row.first_booking_at as Date | null) ?? 'infinity';
    case 'name':
      return String(row.name_key);
    case 'bookings':
      return toNumber(row.total_bookings);
    case 'spend':
      return toNumber(row.lifetime_spend);
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'pglite' },
      clients: { type: 'string', default: '100000' },
      requests: { type: 'string', default: '200' },
      out: { type: 'string' },
      /** Which measurements: export, list, segments (default all). */
      parts: { type: 'string', default: 'export,list,segments' },
    },
  });
  const parts = new Set(values.parts.split(','));
  const kind = values.db === 'postgres' ? 'postgres' : 'pglite';
  const clients = Number(values.clients);
  const requests = Number(values.requests);
  const databaseUrl = kind === 'postgres' ? process.env.TEST_DATABASE_URL : undefined;
  if (kind === 'postgres' && !databaseUrl) throw new Error('--db postgres needs TEST_DATABASE_URL');

  const server = await startServer({
    port: 0,
    now: NOW,
    cursorSecret: SECRET,
    ...(databaseUrl ? { databaseUrl } : { dataDir: 'memory' }),
  });
  const log = (line: string) => console.error(`[server ${kind}] ${line}`);
  try {
    const seedStart = performance.now();
    const bench = await generateBenchCrm(server.db, { clients, now: new Date(NOW) });
    await sql`analyze`.execute(server.db);
    const seedMs = Math.round(performance.now() - seedStart);
    log(`generated ${clients} clients, ${bench.bookings} bookings in ${seedMs} ms`);

    const exported = parts.has('export')
      ? await exportBench(server, bench.crmId, bench.token)
      : null;
    if (exported) {
      log(
        `export: ${exported.rows} rows in ${exported.ms} ms, peak RSS +${exported.peakRssOverIdleMb} MB`,
      );
    }

    const list = parts.has('list')
      ? await listBench(server, bench.crmId, bench.token, requests, log)
      : [];
    const segments = parts.has('segments')
      ? await segmentBench(server, bench.crmId, bench.token, requests, log)
      : [];
    const result: ServerResult = {
      db: kind,
      clients,
      bookings: bench.bookings,
      seedMs,
      requests,
      export: exported,
      list,
      segments,
    };
    if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
    else console.log(JSON.stringify(result, null, 2));
  } finally {
    await server.close();
  }
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function exportBench(server: RunningServer, crmId: string, token: string) {
  gc();
  await new Promise((r) => setTimeout(r, 300));
  gc();
  const idle = process.memoryUsage();
  const peak = { rss: idle.rss, heap: idle.heapUsed, external: idle.external };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
  };
  const timer = setInterval(sample, 5);
  const start = performance.now();
  const res = await fetch(`${server.url}/v1/crms/${crmId}/clients/export.csv`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok || !res.body) throw new Error(`export: HTTP ${res.status}`);
  let bytes = 0;
  let rows = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const b of value) if (b === 10) rows++;
    sample();
  }
  const ms = Math.round(performance.now() - start);
  clearInterval(timer);
  return {
    ms,
    bytes,
    rows: rows - 1,
    idleRssMb: mb(idle.rss),
    idleHeapMb: mb(idle.heapUsed),
    peakRssOverIdleMb: mb(peak.rss - idle.rss),
    peakHeapOverIdleMb: mb(peak.heap - idle.heapUsed),
    peakExternalOverIdleMb: mb(peak.external - idle.external),
  };
}

/** The CRM as the routes see it (its owner's access). */
async function crmAccessOf(server: RunningServer, crmId: string): Promise<CrmAccess> {
  const crmRow = await sql<{
    kind: 'studio' | 'mentor';
    name: string;
    currency: string;
    time_zone: string;
    owner_user_id: string;
  }>`
    select kind, name, currency, time_zone, owner_user_id from crms where id = ${crmId}
  `.execute(server.db);
  const k = crmRow.rows[0]!;
  return {
    id: crmId,
    kind: k.kind,
    name: k.name,
    currency: k.currency,
    timeZone: k.time_zone,
    ownerUserId: k.owner_user_id,
    role: 'owner',
  };
}

async function segmentBench(
  server: RunningServer,
  crmId: string,
  token: string,
  requests: number,
  log: (line: string) => void,
): Promise<SegmentCase[]> {
  const db = server.db;
  const crm = await crmAccessOf(server, crmId);
  const now = new Date(NOW);
  const out: SegmentCase[] = [];
  const cases = [
    { segment: 'slipping', sort: undefined },
    { segment: 'slipping', sort: 'recent' },
    { segment: 'growing', sort: undefined },
  ] as const;
  for (const { segment, sort } of cases) {
    const filters: ClientFilters = { segment };
    const listed = listSort({ segment, sort });
    const position = { sort: listed, order: effectiveOrder(listed, undefined) };
    const params = new URLSearchParams({ segment, limit: String(PAGE) });
    if (sort) params.set('sort', sort);
    const url = `${server.url}/v1/crms/${crmId}/clients?${params}`;
    const headers = { authorization: `Bearer ${token}` };
    const matching = await countClients(db, crm, filters, now);
    const check = (await (await fetch(url, { headers })).json()) as { items?: unknown[] };
    if (check.items?.length !== Math.min(PAGE, matching)) {
      throw new Error(`${segment} ${listed}: expected ${Math.min(PAGE, matching)} items`);
    }
    // as the route runs them: the rhythm refresh probe, then the page and the count
    const runDb = async () => {
      await refreshExpiredRhythm(db, crm, now);
      await Promise.all([
        clientPage(db, crm, filters, position, PAGE, now),
        countClients(db, crm, filters, now),
      ]);
    };
    const runHttp = async () => {
      const res = await fetch(url, { headers });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await res.json();
    };
    for (let i = 0; i < 10; i++) {
      await runDb();
      await runHttp();
    }
    const dbMs: number[] = [];
    const pageMs: number[] = [];
    const countMs: number[] = [];
    const httpMs: number[] = [];
    for (let i = 0; i < requests; i++) {
      dbMs.push(await timed(runDb));
      pageMs.push(await timed(() => clientPage(db, crm, filters, position, PAGE, now)));
      countMs.push(await timed(() => countClients(db, crm, filters, now)));
      httpMs.push(await timed(runHttp));
    }
    const c: SegmentCase = {
      segment,
      sort: listed,
      matching,
      db: summarise(dbMs),
      pageQuery: summarise(pageMs),
      countQuery: summarise(countMs),
      http: summarise(httpMs),
    };
    out.push(c);
    log(
      `segment=${segment} ${listed.padEnd(8)} ${matching} clients: db p50 ${c.db.p50} p95 ${c.db.p95} | page p95 ${c.pageQuery.p95} count p95 ${c.countQuery.p95} | http p50 ${c.http.p50} p95 ${c.http.p95}`,
    );
  }
  return out;
}

async function listBench(
  server: RunningServer,
  crmId: string,
  token: string,
  requests: number,
  log: (line: string) => void,
): Promise<ListCase[]> {
  const db = server.db;
  const crm = await crmAccessOf(server, crmId);
  const now = new Date(NOW);
  const codec = new CursorCodec(SECRET);
  const out: ListCase[] = [];

  for (const search of ['', SEARCH]) {
    const filters: ClientFilters = search ? { q: search } : {};
    const pattern = `%${search}%`;
    const where = search
      ? sql`c.crm_id = ${crmId} and (c.name ilike ${pattern} or c.email ilike ${pattern})`
      : sql`c.crm_id = ${crmId}`;
    const matching = await countClients(db, crm, filters, now);
    for (const { sort, order, column } of SORTS) {
      for (const depth of ['first', 'middle', 'last'] as const) {
        // The row just before the page: the key a client's cursor would carry after scrolling there.
        const offset =
          depth === 'first'
            ? 0
            : depth === 'middle'
              ? Math.floor(matching / 2)
              : Math.max(0, matching - PAGE);
        let after: ClientKey | undefined;
        if (offset > 0) {
          const dir = order === 'asc' ? sql`asc` : sql`desc`;
          const r = await sql<Record<string, unknown>>`
            select c.id, c.last_booking_at, c.first_booking_at, c.name_key, c.total_bookings, c.lifetime_spend
            from clients c where ${where}
            order by ${sql.ref(`c.${column}`)} ${dir}, c.id ${dir} offset ${offset - 1} limit 1
          `.execute(db);
          const row = r.rows[0]!;
          after = [keyOf(sort, row), String(row.id)];
        }
        const scope = {
          kind: 'clients' as const,
          query: {
            crm: crmId,
            sort,
            order,
            filters: { q: search, status: [], segment: '', tag: [], teacher: '' },
          },
        };
        const params = new URLSearchParams({ sort, limit: String(PAGE) });
        if (search) params.set('q', search);
        // the route's cursor: [sort key, id, the total counted for the first page]
        if (after) params.set('cursor', codec.encode(scope, [...after, matching]));
        const url = `${server.url}/v1/crms/${crmId}/clients?${params}`;
        const headers = { authorization: `Bearer ${token}` };
        const position = { sort, order, after };

        const check = (await (await fetch(url, { headers })).json()) as {
          items?: unknown[];
          nextCursor?: string | null;
          detail?: string;
        };
        const expected = Math.min(PAGE, matching - offset);
        if (check.items?.length !== expected) {
          throw new Error(
            `${sort} ${depth} ${search}: expected ${expected} items, got ${check.items?.length} (${check.detail ?? ''})`,
          );
        }
        if (depth === 'last' && check.nextCursor !== null)
          throw new Error(`${sort} last: not the last page`);

        const dbMs: number[] = [];
        const pageMs: number[] = [];
        const countMs: number[] = [];
        const first = depth === 'first';
        const httpMs: number[] = [];
        // as the route runs them: the first page counts, later pages carry the total
        const runDb = () =>
          first
            ? Promise.all([
                clientPage(db, crm, filters, position, PAGE, now),
                countClients(db, crm, filters, now),
              ])
            : clientPage(db, crm, filters, position, PAGE, now);
        const runHttp = async () => {
          const res = await fetch(url, { headers });
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          await res.json();
        };
        for (let i = 0; i < 10; i++) {
          await runDb();
          await runHttp();
        }
        for (let i = 0; i < requests; i++) {
          dbMs.push(await timed(runDb));
          pageMs.push(await timed(() => clientPage(db, crm, filters, position, PAGE, now)));
          if (first) countMs.push(await timed(() => countClients(db, crm, filters, now)));
          httpMs.push(await timed(runHttp));
        }
        const c: ListCase = {
          sort,
          search,
          depth,
          offset,
          matching,
          db: summarise(dbMs),
          pageQuery: summarise(pageMs),
          countQuery: first ? summarise(countMs) : null,
          http: summarise(httpMs),
        };
        out.push(c);
        log(
          `${sort.padEnd(12)} ${(search || '-').padEnd(6)} ${depth.padEnd(6)} db p50 ${c.db.p50} p95 ${c.db.p95} | page p95 ${c.pageQuery.p95} count p95 ${c.countQuery?.p95 ?? '-'} | http p50 ${c.http.p50} p95 ${c.http.p95}`,
        );
      }
    }
  }
  return out;
}

export { round };

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
