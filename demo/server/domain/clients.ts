/**
 * The clients list (filters, sorts, keyset pages), one client's detail, tags.
 *
 * Sorting is keyset pagination on a stored, never-null key and the client id as the
 * tie-breaker: `(key, id) > (cursor key, cursor id)` (or `<` when descending) against an
 * index `(crm_id, key, id)`. No OFFSET: a page continues after the last row seen, so rows
 * inserted or moved meanwhile cause neither duplicates nor skips among the others.
 *
 * Sort keys and their default order:
 * - `recent`: lastAttendedAt, most recent first; clients who never attended last in either
 *   order (SPEC section 3), so `asc` sorts on a second key whose nulls are `infinity`.
 * - `name`: lower-cased name, A to Z.
 * - `bookings`: totalBookings, most first.
 * - `spend`: lifetimeSpend, most first.
 * - `firstBooking`: firstBookingAt, oldest first; clients with no booking last.
 * - `overdue` (not a `sort` of the API: `segment=slipping` without a sort): how overdue,
 *   daysSinceAttended / typicalGapDays, most first, then id ascending.
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import {
  wordStartSearch,
  type ClientDetail,
  type ClientListQuery,
  type ClientSort,
  type ClientStatus,
  type ClientSummary,
  type SortOrder,
} from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import { toIso, toNumber, type Database } from '../db/schema.js';
import { clientAlerts, crmToday, liveAlert } from './alerts.js';
import { averageSpend, growingSql, slippingSql, statusSql } from './rules.js';
import type { CrmAccess } from './context.js';
import { invalid, notFound } from '../http/problem.js';
import { overdueSql, refreshExpiredRhythm, rhythmOf } from './insight.js';

/** The list's orders: the API's sorts, and `overdue` (the slipping segment's default). */
export type ListSort = ClientSort | 'overdue';

/** The order of a list query: an explicit sort wins; slipping clients, most overdue first. */
export const listSort = (q: Pick<ClientListQuery, 'sort' | 'segment'>): ListSort =>
  q.sort ?? (q.segment === 'slipping' ? 'overdue' : 'recent');

interface SortSpec {
  column: string;
  /** The key column of ascending pages, when it is not `column` (nulls last both ways). */
  ascColumn?: string;
  type: 'timestamptz' | 'text' | 'int' | 'bigint' | 'float8';
  defaultOrder: SortOrder;
  /** The cursor value of a row's key (never null). */
  keyOf: (row: ClientRow, order: SortOrder) => string | number;
}

const SORTS: Record<ListSort, SortSpec> = {
  overdue: {
    column: 'overdue',
    type: 'float8',
    defaultOrder: 'desc',
    // as text: 'Infinity' for a typical gap of 0 (JSON has no infinity)
    keyOf: (r) => String(r.overdue ?? 0),
  },
  recent: {
    column: 'recent_key',
    ascColumn: 'recent_asc_key',
    type: 'timestamptz',
    defaultOrder: 'desc',
    keyOf: (r, order) => toIso(r.last_attended_at) ?? (order === 'asc' ? 'infinity' : '-infinity'),
  },
  firstBooking: {
    column: 'first_key',
    type: 'timestamptz',
    defaultOrder: 'asc',
    keyOf: (r) => toIso(r.first_booking_at) ?? 'infinity',
  },
  name: { column: 'name_key', type: 'text', defaultOrder: 'asc', keyOf: (r) => r.name_key },
  bookings: {
    column: 'total_bookings',
    type: 'int',
    defaultOrder: 'desc',
    keyOf: (r) => r.total_bookings,
  },
  spend: {
    column: 'lifetime_spend',
    type: 'bigint',
    defaultOrder: 'desc',
    keyOf: (r) => toNumber(r.lifetime_spend),
  },
};

export interface ClientRow {
  id: string;
  name: string;
  name_key: string;
  email: string | null;
  phone: string | null;
  avatar_url: string | null;
  total_bookings: number;
  lifetime_spend: number | string;
  spend_bookings: number;
  first_booking_at: Date | string | null;
  last_booking_at: Date | string | null;
  last_attended_at: Date | string | null;
  next_booking_at: Date | string | null;
  status: ClientStatus;
  growing: boolean;
  slipping: boolean;
  typical_gap_days: number | string | null;
  /** `YYYY-MM-DD` in the CRM's time zone. */
  last_attended_day: string | null;
  /** daysSinceAttended / typicalGapDays (null without a rhythm). */
  overdue: number | null;
  tags: string[];
  erased: boolean;
  /** A studio's teachers of the client, by name (see `selectSql`). */
  teachers: { id: string; name: string }[] | null;
  teacher_ids: string[];
  /** Texts of the live alerts, oldest first. */
  alerts: string[] | null;
}

/**
 * What starts a word in a name or an email, besides the start of the text: a space, - ' . _ +
 * or @ (ASCII only: with a character of more than one byte in the class, pg_trgm no longer
 * reads trigrams from the expression and the index is not used).
 */
export const WORD_BREAKS = " -'._+@";

/** The search's condition on a client (alias `c`). */
export function searchSql(q: string): RawBuilder<boolean> {
  // On `c.search`, lower(name) and lower(email) joined by a line break (migration 11): one
  // trigram index, one match per client. The same clients as `ilike` on each column (it is
  // `lower() like lower()`); q is lower-cased by the database too. A q with a line break in it
  // could match across the two: it is matched on each column (no index; only the API sends one).
  const escaped = q.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  if (q.includes('\n')) {
    const pattern = `%${escaped}%`;
    return sql<boolean>`(c.name ilike ${pattern} or c.email ilike ${pattern})`;
  }
  if (!wordStartSearch(q)) return sql<boolean>`c.search like lower(${`%${escaped}%`})`;
  // A regular expression, which pg_trgm reads as the word-start trigrams ("  s", " so"): one
  // bitmap scan of the index. `-` last in the class; the line break starts the email; every
  // character of q but letters and digits escaped (a literal in an ARE).
  const breaks = `[\n${WORD_BREAKS.replace('-', '')}-]`;
  const regex = `(^|${breaks})${q.replace(/[^\p{L}\p{N}]/gu, (ch) => `\\${ch}`)}`;
  return sql<boolean>`c.search ~ lower(${regex})`;
}

/** Filters of a list or export query. */
export type ClientFilters = Pick<ClientListQuery, 'q' | 'status' | 'segment' | 'tag' | 'teacher'>;

/** The conditions on the CRM's clients: none for an unfiltered query. */
function filterParts(f: ClientFilters, crm: CrmAccess, now: Date): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = [];
  if (f.q) parts.push(searchSql(f.q));
  if (f.status && f.status.length > 0) {
    parts.push(sql`${statusSql(now)} = any(${[...new Set(f.status)]}::text[])`);
  }
  if (f.segment === 'growing') parts.push(growingSql(now));
  if (f.segment === 'slipping') parts.push(slippingSql(now, crmToday(crm, now)));
  if (f.tag && f.tag.length > 0) {
    const lower = [...new Set(f.tag.map((t) => t.toLowerCase()))];
    parts.push(sql`c.tags_lower @> ${lower}::text[]`);
  }
  if (f.teacher) parts.push(sql`${f.teacher}::text = any(c.teacher_ids)`);
  return parts;
}

function filterSql(crm: CrmAccess, f: ClientFilters, now: Date): RawBuilder<boolean> {
  const parts = [sql`c.crm_id = ${crm.id}`, ...filterParts(f, crm, now)];
  return sql<boolean>`(${sql.join(parts, sql` and `)})`;
}

/**
 * The select list of a client row. A studio's teachers: in the row for one client (`inline`),
 * for a page their ids only, named afterwards by one query for the whole page (`nameTeachers`):
 * a sorted aggregate per row cost 1.3 ms of a 50-row page's 5 on PGlite.
 */
function selectSql(crm: CrmAccess, now: Date, teachers: 'inline' | 'ids' = 'ids') {
  const named =
    crm.kind === 'studio' && teachers === 'inline'
      ? sql`(select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name)
            order by u.name, u.id), '[]'::json) from users u where u.id = any(c.teacher_ids))`
      : sql`null::json`;
  // The next class is read at request time (it moves with the clock), from the bookings
  // index that starts (crm_id, client_id, starts_at): one index probe per row of a page.
  const nextBooking = sql`(select min(b.starts_at) from bookings b where b.crm_id = c.crm_id
    and b.client_id = c.id and b.status = 'booked'
    and b.starts_at >= ${now.toISOString()}::timestamptz)`;
  const day = crmToday(crm, now);
  const alerts = sql`array(select a.text from client_alerts a
    where a.crm_id = c.crm_id and a.client_id = c.id and ${liveAlert(day)}
    order by a.seq)`;
  return sql`c.id, c.name, c.name_key, c.email, c.phone, c.avatar_url, c.total_bookings,
    c.lifetime_spend, c.spend_bookings, c.first_booking_at, c.last_booking_at,
    c.last_attended_at, ${nextBooking} as next_booking_at, ${statusSql(now)} as status,
    ${growingSql(now)} as growing, coalesce(${slippingSql(now, day)}, false) as slipping,
    c.typical_gap_days, c.last_attended_day::text as last_attended_day,
    ${overdueSql(day)} as overdue, c.tags, c.erased, ${named} as teachers, c.teacher_ids,
    ${alerts} as alerts`;
}

export function toSummary(row: ClientRow, crm: CrmAccess): ClientSummary {
  return {
    id: row.id,
    name: row.name,
    email: row.erased ? null : row.email,
    avatarUrl: row.avatar_url,
    totalBookings: toNumber(row.total_bookings),
    lifetimeSpend: { amountMinor: toNumber(row.lifetime_spend), currency: crm.currency },
    firstBookingAt: toIso(row.first_booking_at),
    lastBookingAt: toIso(row.last_booking_at),
    lastAttendedAt: toIso(row.last_attended_at),
    nextBookingAt: toIso(row.next_booking_at),
    status: row.status,
    growing: Boolean(row.growing),
    slipping: Boolean(row.slipping),
    tags: row.tags ?? [],
    erased: Boolean(row.erased),
    alerts: row.alerts ?? [],
    ...(crm.kind === 'studio' ? { teachers: row.teachers ?? [] } : {}),
  };
}

/** Where a keyset page continues: after the row with this sort key and id. */
export type ClientKey = readonly [key: string | number, id: string];

export interface KeysetPosition {
  sort: ListSort;
  order: SortOrder;
  after?: ClientKey | undefined;
  /** The (capped) count of the matches, when known: how a search's page is read. */
  matches?: number | undefined;
}

/**
 * Rows of the sort order a dense search reads before it reads its matches instead: a probe
 * of the first PROBE rows, then (when the probe's matches promise a page) the first WALK.
 */
const PROBE = 250;
const WALK = 1000;

export const effectiveOrder = (sort: ListSort, order: SortOrder | undefined): SortOrder =>
  order ?? SORTS[sort].defaultOrder;

/** One keyset page: `limit` rows and the `[key, id]` to continue after (null at the end). */
export async function clientPage(
  db: Db,
  crm: CrmAccess,
  filters: ClientFilters,
  position: KeysetPosition,
  limit: number,
  now: Date,
): Promise<{ rows: ClientRow[]; next: ClientKey | null; matches?: number | undefined }> {
  const spec = SORTS[position.sort];
  const dir = position.order === 'asc' ? sql`asc` : sql`desc`;
  // `overdue` is computed (it moves with today), the others are stored, indexed columns.
  const overdue = position.sort === 'overdue';
  const column = position.order === 'asc' ? (spec.ascColumn ?? spec.column) : spec.column;
  const key = overdue ? overdueSql(crmToday(crm, now)) : sql.ref(`c.${column}`);
  // overdue breaks ties by id ascending when most overdue come first (and the reverse)
  const idDir = overdue ? (position.order === 'asc' ? sql`desc` : sql`asc`) : dir;
  const conditions = [filterSql(crm, filters, now)];
  if (position.after) {
    const [value, id] = position.after;
    const typed = sql`${value}::${sql.raw(spec.type)}`;
    const asc = position.order === 'asc';
    conditions.push(
      overdue
        ? sql`(${key} ${asc ? sql`>` : sql`<`} ${typed}
            or (${key} = ${typed} and c.id ${asc ? sql`<` : sql`>`} ${id}::text))`
        : sql`(${key}, c.id) ${asc ? sql`>` : sql`<`} (${typed}, ${id}::text)`,
    );
  }
  // Raw: the key column and its cast follow the sort, the keyset is a row comparison, and
  // status and growing are expressions of the clock (rules.ts).
  const where = sql.join(conditions, sql` and `);
  const order = sql`${key} ${dir}, c.id ${idDir}`;
  // Whether the page counts the matches, saving the route's count: where it reads them all
  // anyway (below).
  let counted = false;
  let result: { rows: (ClientRow & { matches?: number })[] };
  if (!filters.q || overdue) {
    // No search: the sort index is walked until enough clients match the filters. Most
    // overdue first ranks every match (how overdue moves with the day): without a search its
    // page counts them on the way (a window over the rows it reads).
    counted = overdue && !filters.q;
    result = await sql<ClientRow & { matches?: number }>`
      select ${selectSql(crm, now)}${counted ? sql`, (count(*) over ())::int as matches` : sql``}
      from clients c where ${where} order by ${order} limit ${limit + 1}
    `.execute(db);
  } else {
    // A search: the matches come from the trigram indexes. Many matches (over
    // the total's cap) are dense enough that the first WALK rows in sort order hold the
    // page: tried first, as it reads fewer rows than all the matches.
    let walked: (ClientRow & { matches?: number })[] | undefined;
    if (position.matches === undefined || position.matches > TOTAL_CAP) {
      // the CRM's clients from the keyset on, in order; the filters on those
      const base = [sql`c.crm_id = ${crm.id}`, ...conditions.slice(1)];
      const walk = async <R>(rows: number, select: RawBuilder<unknown>) =>
        (
          await sql<R>`
            select ${select} from (
              select * from clients c where ${sql.join(base, sql` and `)}
              order by ${order} limit ${rows}
            ) c
            where ${sql.join(filterParts(filters, crm, now), sql` and `)}
            order by ${order} limit ${limit + 1}
          `.execute(db)
        ).rows;
      // A quarter of the walk first, ids only: a search matching under 1 in 20 of these (most
      // searches of 3+ letters: "sofia" is 1 in 80) goes to its matches without reading the
      // rest. A page found there is read by id; else, when the probe's matches promise a page
      // in the whole walk, the walk reads the page's rows itself (one statement fewer).
      const probe = await walk<{ id: string }>(PROBE, sql`c.id`);
      if (probe.length > limit) {
        walked = (
          await sql<ClientRow>`
            select ${selectSql(crm, now)} from clients c
            where c.id = any(${probe.map((r) => r.id)}::text[]) order by ${order}
          `.execute(db)
        ).rows;
      } else if ((probe.length * WALK) / PROBE > limit) {
        const rows = await walk<ClientRow>(WALK, selectSql(crm, now));
        if (rows.length > limit) walked = rows;
      }
    }
    if (walked) {
      result = { rows: walked };
    } else {
      // Ids first: every match's id and sort key (a bitmap scan of the trigram indexes), the
      // top `limit + 1` of those, then the select list for those rows only. A first page
      // counts the matches too.
      counted = !position.after;
      result = await sql<ClientRow & { matches?: number }>`
        with m as materialized (select c.id, ${key} as k from clients c where ${where}),
        top as (select m.id, m.k from m order by m.k ${dir}, m.id ${idDir} limit ${limit + 1})
        select ${selectSql(crm, now)}${
          counted ? sql`, (select count(*) from m)::int as matches` : sql``
        }
        from top t join clients c on c.id = t.id
        order by t.k ${dir}, t.id ${idDir}
      `.execute(db);
    }
  }
  const rows = result.rows.slice(0, limit);
  await nameTeachers(db, crm, rows);
  const last = rows.at(-1);
  const next: ClientKey | null =
    result.rows.length > limit && last ? [spec.keyOf(last, position.order), last.id] : null;
  // the matches from the keyset on, when the page counted them (most overdue first, or a
  // search's first page read from its matches)
  const matches = counted ? toNumber(result.rows[0]?.matches ?? 0) : undefined;
  return { rows, next, matches };
}

/**
 * A list page as the API reads it: the stored rhythm brought up to `now` (an index probe),
 * then the page and the total (capped, see `countClients`; `TOTAL_CAP + 1` for "more"). The
 * total of a later page travels in its cursor. Filters without a search are counted first; a
 * search's first page and most overdue first may count their matches as they read them (see
 * `clientPage`), and are counted after when they did not.
 */
export async function listPage(
  db: Db,
  crm: CrmAccess,
  filters: ClientFilters,
  position: Omit<KeysetPosition, 'matches'> & { total?: number | undefined },
  limit: number,
  now: Date,
  signal?: AbortSignal,
) {
  // `signal`: the request's. A list searching as the user types aborts each superseded
  // request; its statements not yet started are not run (an AbortError, answered by no one).
  // Embedded PGlite runs on this thread: the client's hang-up is seen only when the event
  // loop polls its sockets, so each step first lets it (setImmediate, after I/O).
  const go = async () => {
    if (!signal) return;
    await new Promise((resolve) => setImmediate(resolve));
    signal.throwIfAborted();
  };
  await go();
  await refreshExpiredRhythm(db, crm, now);
  await go();
  const counted =
    position.total ??
    (filters.q || position.sort === 'overdue'
      ? undefined
      : await countClients(db, crm, filters, now));
  await go();
  const page = await clientPage(db, crm, filters, { ...position, matches: counted }, limit, now);
  await go();
  const total =
    counted ??
    (page.matches === undefined
      ? await countClients(db, crm, filters, now)
      : Math.min(page.matches, TOTAL_CAP + 1));
  return { rows: page.rows, next: page.next, total };
}

/** Sets a studio's page rows' `teachers` from their `teacher_ids`: one query for the page. */
async function nameTeachers(db: Db, crm: CrmAccess, rows: ClientRow[]) {
  if (crm.kind !== 'studio') return;
  const ids = [...new Set(rows.flatMap((r) => r.teacher_ids))];
  const users =
    ids.length === 0
      ? []
      : await db
          .selectFrom('users')
          .select(['id', 'name'])
          .where('id', 'in', ids)
          .orderBy('name')
          .orderBy('id')
          .execute();
  for (const row of rows) {
    const mine = new Set(row.teacher_ids);
    row.teachers = users.filter((u) => mine.has(u.id));
  }
}

/**
 * The key a list cursor continues after, and the total counted on the first page (it travels
 * with the cursor). A key that does not fit the sort is a 400.
 */
export function listCursorKey(
  sort: ListSort,
  key: readonly unknown[],
): { after: ClientKey; total: number } {
  const [value, id, total] = key;
  if (
    key.length !== 3 ||
    typeof id !== 'string' ||
    !validKey(SORTS[sort].type, value) ||
    typeof total !== 'number' ||
    !Number.isSafeInteger(total) ||
    total < 0
  ) {
    throw invalid([{ path: 'cursor', message: 'Malformed cursor' }]);
  }
  return { after: [value, id], total };
}

/** Whether a decoded cursor value fits a key column of this SQL type. */
export function validKey(type: SortSpec['type'], value: unknown): value is string | number {
  switch (type) {
    case 'int':
    case 'bigint':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'text':
      return typeof value === 'string';
    case 'float8':
      return (
        typeof value === 'string' &&
        (value === 'Infinity' || (/^[\d.e+-]+$/.test(value) && Number.isFinite(Number(value))))
      );
    case 'timestamptz':
      return (
        typeof value === 'string' &&
        (value === 'infinity' ||
          value === '-infinity' ||
          /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value))
      );
  }
}

/**
 * A search or filter counts at most this many matches (SPEC section 3: `totalCapped`, shown as
 * "1,000+"): counting every match of a one-letter search costs more than its page.
 */
export const TOTAL_CAP = 1000;

/**
 * The clients the list's total counts: exact without filters (the CRM's counter); with a
 * search or filter, the matches up to `TOTAL_CAP + 1`, where `TOTAL_CAP + 1` means "more than
 * the cap" (see `listTotal`).
 */
export async function countClients(db: Db, crm: CrmAccess, filters: ClientFilters, now: Date) {
  if (filterParts(filters, crm, now).length === 0) {
    // Every client of the CRM: its counter (migration 3), not a count of its rows.
    const counted = await db
      .selectFrom('crms')
      .select('client_count')
      .where('id', '=', crm.id)
      .executeTakeFirst();
    return toNumber(counted?.client_count);
  }
  // Raw: the filters are SQL fragments shared with the page query (`filterParts`).
  const count = (executor: Db | Transaction<Database>) =>
    sql<{ n: number }>`
      select count(*)::int as n from (
        select 1 from clients c where ${filterSql(crm, filters, now)} limit ${TOTAL_CAP + 1}
      ) matches
    `.execute(executor);
  if (!filters.q || wordStartSearch(filters.q)) return toNumber((await count(db)).rows[0]?.n);
  // A search of 3+ characters matching 1 client in 10 ("gmail"): at the default
  // random_page_cost (4) the planner reads the table in order until 1,001 match (7,600 rows
  // at 100,000 clients, 14 ms on PGlite) rather than those 1,001 rows from the trigram
  // indexes (6 ms). Pages read from memory or SSD cost about what sequential ones do.
  return db.transaction().execute(async (trx) => {
    await sql`set local random_page_cost = 1.1`.execute(trx);
    return toNumber((await count(trx)).rows[0]?.n);
  });
}

/** The response's `total` and `totalCapped` of a count from `countClients`. */
export function listTotal(crm: CrmAccess, filters: ClientFilters, counted: number, now: Date) {
  const capped = counted > TOTAL_CAP && filterParts(filters, crm, now).length > 0;
  return { total: capped ? TOTAL_CAP : counted, totalCapped: capped };
}

/** A client of this CRM, or a 404 (a client of another CRM does not exist here). */
export async function getClientRow(db: Db, crm: CrmAccess, clientId: string, now: Date) {
  // the stored rhythm as of now (an index probe unless the 365-day window moved past a session)
  await refreshExpiredRhythm(db, crm, now, clientId);
  // Raw: the same select list as the list's pages (`selectSql`), status computed at `now`.
  const result = await sql<ClientRow>`
    select ${selectSql(crm, now, 'inline')} from clients c
    where c.crm_id = ${crm.id} and c.id = ${clientId}
  `.execute(db);
  const row = result.rows[0];
  if (!row) throw notFound('The client');
  return row;
}

/** One client's detail: its row (from `getClientRow`) and its messages' figures. */
export async function clientDetail(
  db: Db,
  crm: CrmAccess,
  row: ClientRow,
  now: Date,
): Promise<ClientDetail> {
  // Raw: an aggregate with a filter clause.
  const stats = await sql<{ last_sent_at: Date | string | null; recent: number }>`
    select max(m.sent_at) as last_sent_at,
      (count(*) filter (where m.sent_at >= ${now.toISOString()}::timestamptz
        - make_interval(days => 90)))::int as recent
    from messages m where m.crm_id = ${crm.id} and m.client_id = ${row.id}
  `.execute(db);
  const s = stats.rows[0];
  const spend = toNumber(row.lifetime_spend);
  return {
    ...toSummary(row, crm),
    alerts: await clientAlerts(db, crm, row.id, now),
    phone: row.phone,
    averageSpend: {
      amountMinor: averageSpend(spend, toNumber(row.spend_bookings)),
      currency: crm.currency,
    },
    messages: { lastSentAt: toIso(s?.last_sent_at), sentLast90Days: toNumber(s?.recent) },
    ...rhythmOf(row, crmToday(crm, now)),
  };
}

/** Dedupes tags case-insensitively, keeping the first spelling and the given order. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of tags) {
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

export async function setTags(db: Db, crm: CrmAccess, clientId: string, tags: string[], now: Date) {
  const unique = normaliseTags(tags);
  const updated = await db
    .updateTable('clients')
    .set({
      tags: unique,
      tags_lower: unique.map((t) => t.toLowerCase()),
      tags_updated_at: now.toISOString(),
      tags_seq: sql<number>`nextval('clients_tags_seq')`,
    })
    .where('crm_id', '=', crm.id)
    .where('id', '=', clientId)
    .where('erased', '=', false)
    .returning('tags')
    .executeTakeFirst();
  return updated?.tags;
}

/**
 * Tags in use with the number of clients carrying each. Tags compare case-insensitively;
 * the spelling shown is the one that has been in place longest.
 */
export async function tagCounts(db: Db, crm: CrmAccess) {
  // Raw: an aggregate over the unnested tag arrays, grouped case-insensitively.
  const result = await sql<{ tag: string; count: number }>`
    select (array_agg(t.tag order by c.tags_seq nulls first, c.id))[1] as tag, count(*)::int as count
    from clients c cross join lateral unnest(c.tags) as t(tag)
    where c.crm_id = ${crm.id}
    group by lower(t.tag)
    order by count(*) desc, lower(t.tag)
  `.execute(db);
  return result.rows.map((r) => ({ tag: r.tag, count: toNumber(r.count) }));
}
