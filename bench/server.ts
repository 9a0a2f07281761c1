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
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import type { ClientSort, SortOrder } from '../src/api/schemas.js';
import { startServer, type RunningServer } from '../demo/server/index.js';
import { allScopesToken, generateBenchCrm } from '../demo/server/seed/generate.js';
import {
  clientPage,
  countClients,
  effectiveOrder,
  listPage,
  listSort,
  type ClientFilters,
  type ClientKey,
} from '../demo/server/domain/clients.js';
import { upsertBooking } from '../demo/server/domain/bookings.js';
import type { CrmAccess } from '../demo/server/domain/context.js';
import { CursorCodec } from '../demo/server/http/cursor.js';
import { toIso, toNumber } from '../demo/server/db/schema.js';
import { MIGRATIONS, statements } from '../demo/server/db/migrations.js';
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

/** The first page of a search (issue 18): as the route reads it, count first then page. */
export interface SearchCase {
  search: string;
  /** What the search is: 1-2 characters, dense, rare... */
  kind: string;
  sort: ClientSort;
  /** The capped count (1001 = more than 1,000). */
  matching: number;
  db: Summary;
  pageQuery: Summary;
  countQuery: Summary;
  http: Summary;
  /** 1-minute load average when the case finished. */
  load: number;
}

/** Booking upserts (new clients and existing ones) with and without the search index. */
export interface UpsertResult {
  withIndexes: Summary;
  withoutIndexes: Summary;
  withIndexesAgain: Summary;
  /** gin_clean_pending_list of the search index after the upserts with it. */
  pendingFlushMs: number;
  load: number;
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
  search: SearchCase[];
  upsert: UpsertResult | null;
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
      /** Which measurements: export, list, segments, search, upsert (default the first three). */
      parts: { type: 'string', default: 'export,list,segments' },
      /** PGlite only: a directory that holds a bench CRM already (`npm run seed`): no seeding. */
      'data-dir': { type: 'string' },
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
    ...(databaseUrl ? { databaseUrl } : { dataDir: values['data-dir'] ?? 'memory' }),
  });
  const log = (line: string) => console.error(`[server ${kind}] ${line}`);
  try {
    const seedStart = performance.now();
    const bench = values['data-dir']
      ? await existingBenchCrm(server.db)
      : await generateBenchCrm(server.db, { clients, now: new Date(NOW) });
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
    const search = parts.has('search')
      ? await searchBench(server, bench.crmId, bench.token, requests, log)
      : [];
    const upsert = parts.has('upsert')
      ? await upsertBench(server, bench.crmId, bench.ownerUserId, log)
      : null;
    const result: ServerResult = {
      db: kind,
      clients,
      bookings: bench.bookings,
      seedMs,
      requests,
      export: exported,
      list,
      segments,
      search,
      upsert,
    };
    if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
    else console.log(JSON.stringify(result, null, 2));
  } finally {
    await server.close();
  }
}

const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** The bench CRM of a reused data directory (`--data-dir`), with a fresh owner token. */
export async function existingBenchCrm(db: RunningServer['db']) {
  const crm = await sql<{ id: string; owner_user_id: string; clients: number; bookings: number }>`
    select k.id, k.owner_user_id, k.client_count as clients,
      (select count(*)::int from bookings b where b.crm_id = k.id) as bookings
    from crms k where k.id like 'crm_bench_%' order by k.id limit 1
  `.execute(db);
  const row = crm.rows[0];
  if (!row) throw new Error('--data-dir holds no bench CRM (npm run seed -- --clients N)');
  const token = await allScopesToken(db, row.owner_user_id, new Date(NOW));
  return {
    crmId: row.id,
    ownerUserId: row.owner_user_id,
    token,
    clients: row.clients,
    bookings: row.bookings,
  };
}

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
    // as the route runs them (listPage): the rhythm refresh probe, then the count and the
    // page (most overdue first: the page, which counts its matches)
    const runDb = () => listPage(db, crm, filters, position, PAGE, now);
    const c: SegmentCase = {
      segment,
      sort: listed,
      matching,
      ...(await timeListCase({
        runDb,
        page: () => clientPage(db, crm, filters, position, PAGE, now),
        count: () => countClients(db, crm, filters, now),
        url,
        headers,
        warmups: 10,
        requests,
      })),
    };
    out.push(c);
    log(
      `segment=${segment} ${listed.padEnd(8)} ${matching} clients: db p50 ${c.db.p50} p95 ${c.db.p95} | page p95 ${c.pageQuery.p95} count p95 ${c.countQuery.p95} | http p50 ${c.http.p50} p95 ${c.http.p95}`,
    );
  }
  return out;
}

/**
 * One list case timed as the segment and search benches report it: `warmups` rounds of the
 * route's database work and its HTTP request, then `requests` rounds each timing the route's
 * database work, the page query alone, the count alone and the HTTP request.
 */
async function timeListCase(o: {
  runDb: () => Promise<unknown>;
  page: () => Promise<unknown>;
  count: () => Promise<unknown>;
  url: string;
  headers: Record<string, string>;
  warmups: number;
  requests: number;
}) {
  const runHttp = async () => {
    const res = await fetch(o.url, { headers: o.headers });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    await res.json();
  };
  // the garbage of what ran before (the generator's above all) collected now, not in a round
  gc();
  for (let i = 0; i < o.warmups; i++) {
    await o.runDb();
    await runHttp();
  }
  const dbMs: number[] = [];
  const pageMs: number[] = [];
  const countMs: number[] = [];
  const httpMs: number[] = [];
  for (let i = 0; i < o.requests; i++) {
    dbMs.push(await timed(o.runDb));
    pageMs.push(await timed(o.page));
    countMs.push(await timed(o.count));
    httpMs.push(await timed(runHttp));
  }
  return {
    db: summarise(dbMs),
    pageQuery: summarise(pageMs),
    countQuery: summarise(countMs),
    http: summarise(httpMs),
  };
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

/**
 * The searches of issue 18, with what each is: 3+ characters that match some (`sofia`,
 * `kowalski`), many (`gmail`, one client in eight) or one (a fragment of the email of the
 * client at `offset` in id order), and 1-2 characters (the start of a word: a common letter,
 * a common pair, a rare pair).
 * The browser part's search case types the same.
 */
export async function searchTerms(
  db: RunningServer['db'],
  crmId: string,
  offset = 1000,
): Promise<[string, string][]> {
  const one = await sql<{ email: string }>`
    select email from clients where crm_id = ${crmId} and email like '%.%@%' order by id offset ${offset} limit 1
  `.execute(db);
  const fragment = /\.([0-9a-z]+)@/.exec(one.rows[0]?.email ?? '')?.[1];
  if (!fragment) throw new Error(`no client email with a fragment to search for at ${offset}`);
  return [
    [SEARCH, '3+ chars, ~1.2%'],
    ['kowalski', '3+ chars, ~1.5%'],
    ['gmail', '3+ chars, ~12%'],
    [`.${fragment}@`, '3+ chars, one client'],
    ['a', '1 char, a word start'],
    ['so', '2 chars, a word start'],
    ['zq', '2 chars, a rare word start'],
  ];
}

/**
 * First pages of searches (`searchTerms`), every sort, as the route reads them (the capped
 * count, then the page it decides).
 */
async function searchBench(
  server: RunningServer,
  crmId: string,
  token: string,
  requests: number,
  log: (line: string) => void,
): Promise<SearchCase[]> {
  const db = server.db;
  const crm = await crmAccessOf(server, crmId);
  const now = new Date(NOW);
  const terms = await searchTerms(db, crmId);
  const out: SearchCase[] = [];
  for (const [search, kind] of terms) {
    const filters: ClientFilters = { q: search };
    for (const { sort, order } of SORTS) {
      const params = new URLSearchParams({ sort, q: search, limit: String(PAGE) });
      const url = `${server.url}/v1/crms/${crmId}/clients?${params}`;
      const headers = { authorization: `Bearer ${token}` };
      const matching = await countClients(db, crm, filters, now);
      const position = { sort, order, matches: matching };
      // as the route runs them (listPage): the rhythm probe, then the page (a search's first
      // page counts its matches when it reads them all) and the capped count when it did not
      const runDb = () => listPage(db, crm, filters, { sort, order }, PAGE, now);
      const c: SearchCase = {
        search,
        kind,
        sort,
        matching,
        ...(await timeListCase({
          runDb,
          page: () => clientPage(db, crm, filters, position, PAGE, now),
          count: () => countClients(db, crm, filters, now),
          url,
          headers,
          warmups: 5,
          requests,
        })),
        load: round(loadavg()[0]!),
      };
      out.push(c);
      log(
        `search ${search.padEnd(10)} ${sort.padEnd(12)} ${matching} db p50 ${c.db.p50} p95 ${c.db.p95} | page p95 ${c.pageQuery.p95} count p95 ${c.countQuery.p95} | http p50 ${c.http.p50} p95 ${c.http.p95} | load ${c.load}`,
      );
    }
  }
  return out;
}

/**
 * Booking upserts with the search's trigram index, without it (the index and its column
 * dropped), and with it again (recreated as migration 11 creates it), 100 of each: half a new
 * client's first booking (a new row in the index), half a booking of an existing client (its
 * row rewritten by the recompute). Then the GIN pending list's flush (`gin_clean_pending_list`).
 */
async function upsertBench(
  server: RunningServer,
  crmId: string,
  teacherUserId: string,
  log: (line: string) => void,
): Promise<UpsertResult> {
  const db = server.db;
  const now = new Date(NOW);
  const crm = await crmAccessOf(server, crmId);
  const existing = await sql<{ email: string; name: string }>`
    select email, name from clients where crm_id = ${crmId} and not erased and email is not null
    order by id limit 300
  `.execute(db);
  let n = 0;
  const teacher = await sql<{ user_id: string }>`
    select user_id from memberships where crm_id = ${crmId} order by user_id limit 1
  `.execute(db);
  const teacherId = teacher.rows[0]?.user_id ?? teacherUserId;
  const one = async (fresh: boolean) => {
    n++;
    const who = fresh
      ? {
          email: `upsert.${n}.${Date.now().toString(36)}@bench.example`,
          name: `Upsert Person ${n}`,
        }
      : existing.rows[n % existing.rows.length]!;
    await upsertBooking(
      db,
      `bk_upsert_${n}_${Date.now().toString(36)}`,
      {
        crmId,
        teacherUserId: teacherId,
        client: { email: who.email, name: who.name },
        classTitle: 'Power Vinyasa',
        startsAt: new Date(now.getTime() + (n % 14) * 86_400_000).toISOString(),
        location: 'Room A',
        status: 'booked',
        payment: { status: 'paid', amountMinor: 2200, refundedMinor: 0, currency: crm.currency },
      },
      now,
    );
  };
  const series = async () => {
    const ms: number[] = [];
    for (let i = 0; i < 5; i++) await one(i % 2 === 0);
    for (let i = 0; i < 100; i++) ms.push(await timed(() => one(i % 2 === 0)));
    return summarise(ms);
  };
  const withIndexes = await series();
  const flushStart = performance.now();
  await sql`select gin_clean_pending_list('clients_search_trgm'::regclass)`.execute(db);
  const pendingFlushMs = round(performance.now() - flushStart);
  // without: neither the index nor the column it indexes (migration 11), computed on each write
  await sql`drop index clients_search_trgm`.execute(db);
  await sql`alter table clients drop column search`.execute(db);
  const withoutIndexes = await series();
  const [column, index] = statements(MIGRATIONS.find((m) => m.id === 11)!.up);
  await sql.raw(column!).execute(db);
  await sql.raw(index!).execute(db);
  const withIndexesAgain = await series();
  const r: UpsertResult = {
    withIndexes,
    withoutIndexes,
    withIndexesAgain,
    pendingFlushMs,
    load: round(loadavg()[0]!),
  };
  log(
    `upsert with indexes p50 ${withIndexes.p50} p95 ${withIndexes.p95}; without p50 ${withoutIndexes.p50} p95 ${withoutIndexes.p95}; with again p50 ${withIndexesAgain.p50} p95 ${withIndexesAgain.p95}; pending flush ${pendingFlushMs} ms; load ${r.load}`,
  );
  return r;
}

export { round };

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
