/**
 * Sessions and rosters (SPEC section 7): the article's "pre-class prep" on one screen.
 *
 * A session is the bookings with one platform `sessionId`, or, for bookings without one, the
 * bookings with the same (teacher, start, title, location). The database keeps that grouping
 * as `bookings.session_key` (migration 4: 'p' + sessionId, or 'd' + a hash of the four), so
 * a derived session never joins a platform one. Its public id is the sessionId, or
 * `auto_` + the hash. Its title, start, location and teacher are those of its most recently
 * written booking (the highest `seq`: every upsert takes a new one).
 */
import { sql, type RawBuilder } from 'kysely';
import { LIMITS } from '../../../src/api/schemas.js';
import type { RosterEntry, SessionDetail, SessionSummary } from '../../../src/api/sessions.js';
import type { Db } from '../db/database.js';
import { toIso, toNumber } from '../db/schema.js';
import { invalid, notFound } from '../http/problem.js';
import { crmToday, daysBetween, liveAlert, liveAlerts, localDate } from './alerts.js';
import type { CrmAccess } from './context.js';
import { statusSql } from './rules.js';

const DAY = 86_400_000;
const DERIVED = /^auto_([0-9a-f]{32})$/;

/** The public id of a session key (`s.session_key` in SQL). */
const publicId = (key: RawBuilder<unknown>) =>
  sql<string>`(case when left(${key}, 1) = 'p' then substr(${key}, 2) else 'auto_' || substr(${key}, 2) end)`;

/** The session keys a public id may name: its platform id, and the derived key it spells. */
function keysOf(id: string): string[] {
  const derived = DERIVED.exec(id);
  return derived ? [`p${id}`, `d${derived[1]}`] : [`p${id}`];
}

/** Milestones: 10, 25, 50, then every 50 (100, 150, 200, ...). */
export const milestoneOf = (classNumber: number): number | null =>
  classNumber === 10 || classNumber === 25 || (classNumber >= 50 && classNumber % 50 === 0)
    ? classNumber
    : null;

export interface SessionRange {
  from: Date;
  to: Date;
}

/**
 * `[from, to)` of a sessions query: `from` defaults to now, `to` to 7 days after `from`;
 * `to` must be after `from`, at most 31 days after it.
 */
export function sessionRange(from: string | undefined, to: string | undefined, now: Date) {
  const start = from ? new Date(from) : now;
  const end = to ? new Date(to) : new Date(start.getTime() + LIMITS.sessionsDefaultDays * DAY);
  if (end <= start) throw invalid([{ path: 'to', message: 'Must be after from' }]);
  if (end.getTime() - start.getTime() > LIMITS.sessionsMaxDays * DAY) {
    throw invalid(
      [{ path: 'to', message: `Must be at most ${LIMITS.sessionsMaxDays} days after from` }],
      `A sessions query spans at most ${LIMITS.sessionsMaxDays} days; ask for the next range with from`,
    );
  }
  return { from: start, to: end };
}

interface SessionRow {
  session_key: string;
  id: string;
  class_title: string;
  starts_at: Date | string;
  location: string;
  teacher_id: string;
  teacher_name: string;
  booked: number;
  first_timers: number;
  with_alerts: number;
}

/** The counts of a session (alias `s`, with `s.session_key`): its non-cancelled bookings. */
const countsSql = (crmId: string, today: string) => sql`
  select count(*)::int as booked,
    (count(*) filter (where c.first_booking_at = b.starts_at))::int as first_timers,
    (count(distinct b.client_id) filter (where exists (
      select 1 from client_alerts a
      where a.crm_id = b.crm_id and a.client_id = b.client_id and ${liveAlert(today)}
    )))::int as with_alerts
  from bookings b join clients c on c.id = b.client_id
  where b.crm_id = ${crmId} and b.session_key = s.session_key and b.status <> 'cancelled'
`;

/** The latest-written booking of session `h.session_key`: the session's own fields. */
const latestSql = (crmId: string) => sql`
  select b.class_title, b.starts_at, b.location, b.teacher_user_id
  from bookings b
  where b.crm_id = ${crmId} and b.session_key = h.session_key
  order by b.seq desc
  limit 1
`;

const toSession = (r: SessionRow): SessionSummary => ({
  id: r.id,
  classTitle: r.class_title,
  startsAt: toIso(r.starts_at)!,
  location: r.location,
  teacher: { id: r.teacher_id, name: r.teacher_name },
  booked: toNumber(r.booked),
  firstTimers: toNumber(r.first_timers),
  withAlerts: toNumber(r.with_alerts),
});

export type SessionKey = [startsAt: string, id: string];

/** A decoded sessions cursor `[startsAt, id, from, to]`, or a 400. */
export function sessionCursorKey(key: (string | number)[]): {
  after: SessionKey;
  range: SessionRange;
} {
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
  const [startsAt, id, from, to] = key;
  const ok =
    key.length === 4 &&
    [startsAt, from, to].every((v) => typeof v === 'string' && iso.test(v)) &&
    typeof id === 'string';
  if (!ok) throw invalid([{ path: 'cursor', message: 'Malformed cursor' }]);
  return {
    after: [startsAt as string, id as string],
    range: { from: new Date(from as string), to: new Date(to as string) },
  };
}

/**
 * The sessions with at least one non-cancelled booking starting in `[from, to)`, ordered by
 * start then id, one keyset page (`limit` and the key to continue after).
 */
export async function sessionPage(
  db: Db,
  crm: CrmAccess,
  query: SessionQuery,
  limit: number,
  now: Date,
): Promise<{ items: SessionSummary[]; next: SessionKey | null }> {
  const result = await sessionPageSql(crm, query, limit, now).execute(db);
  const items = result.rows.slice(0, limit).map(toSession);
  const last = items.at(-1);
  return { items, next: result.rows.length > limit && last ? [last.startsAt, last.id] : null };
}

export interface SessionQuery {
  range: SessionRange;
  teacher?: string | undefined;
  after?: SessionKey | undefined;
}

/**
 * The query of `sessionPage` (apart, for bench/explain). It reads the `sessions` rows
 * (migration 9, kept by triggers): a session is in `[from, to)` when one of its non-cancelled
 * bookings starts there, so when its first start is there, or (only when its bookings' starts
 * differ) when it began earlier, ends later and a booking says so. Live alerts move with
 * today: they are counted for the page's sessions only, among their `client_ids`, against
 * the CRM's live alerts read once.
 */
export function sessionPageSql(crm: CrmAccess, query: SessionQuery, limit: number, now: Date) {
  const { range, teacher, after } = query;
  const from = sql`${range.from.toISOString()}::timestamptz`;
  const to = sql`${range.to.toISOString()}::timestamptz`;
  const conditions = [sql`true`];
  if (teacher) conditions.push(sql`s.teacher_user_id = ${teacher}`);
  if (after) {
    conditions.push(sql`(s.starts_at, s.id) > (${after[0]}::timestamptz, ${after[1]}::text)`);
  }
  return sql<SessionRow>`
    with s as (
      select s.* from sessions s
      where s.crm_id = ${crm.id} and s.booked > 0
        and s.first_start >= ${from} and s.first_start < ${to}
      union all
      select s.* from sessions s
      where s.crm_id = ${crm.id} and s.booked > 0 and s.first_start < s.last_start
        and s.last_start >= ${from} and s.first_start < ${from}
        and exists (select 1 from bookings b
          where b.crm_id = s.crm_id and b.session_key = s.session_key and b.status <> 'cancelled'
            and b.starts_at >= ${from} and b.starts_at < ${to})
    ),
    page as (
      select s.* from s
      where ${sql.join(conditions, sql` and `)}
      order by s.starts_at, s.id
      limit ${limit + 1}
    ),
    alerted as materialized (
      select distinct a.client_id from client_alerts a
      where a.crm_id = ${crm.id} and ${liveAlert(crmToday(crm, now))}
    ),
    w as (
      select p.session_key, count(*) as n
      from page p cross join unnest(p.client_ids) as k(client_id)
        join alerted a on a.client_id = k.client_id
      group by p.session_key
    )
    select s.session_key, s.id, s.class_title, s.starts_at, s.location,
      u.id as teacher_id, u.name as teacher_name, s.booked, s.first_timers,
      coalesce(w.n, 0)::int as with_alerts
    from page s join users u on u.id = s.teacher_user_id
      left join w on w.session_key = s.session_key
    order by s.starts_at, s.id
  `;
}

interface RosterRow {
  booking_id: string;
  booking_status: RosterEntry['bookingStatus'];
  starts_at: Date | string;
  client_id: string;
  name: string;
  avatar_url: string | null;
  status: RosterEntry['client']['status'];
  erased: boolean;
  tags: string[];
  first_booking_at: Date | string | null;
  class_number: number;
  previous_attended_at: Date | string | null;
  excerpt: string | null;
  note_updated_at: Date | string | null;
}

/** One session and its roster (one entry per non-cancelled booking, by name); 404 if none. */
export async function sessionDetail(
  db: Db,
  crm: CrmAccess,
  sessionId: string,
  now: Date,
): Promise<SessionDetail> {
  const today = crmToday(crm, now);
  // A platform id that happens to spell a derived one wins: keysOf() lists it first.
  const found = await sql<SessionRow>`
    with h as (
      select k.session_key from unnest(${keysOf(sessionId)}::text[]) with ordinality k(session_key, n)
      where exists (select 1 from bookings b where b.crm_id = ${crm.id} and b.session_key = k.session_key)
      order by k.n
      limit 1
    ),
    s as (
      select h.session_key, ${publicId(sql`h.session_key`)} as id, l.*
      from h cross join lateral (${latestSql(crm.id)}) l
    )
    select s.session_key, s.id, s.class_title, s.starts_at, s.location,
      u.id as teacher_id, u.name as teacher_name, n.booked, n.first_timers, n.with_alerts
    from s join users u on u.id = s.teacher_user_id
      cross join lateral (${countsSql(crm.id, today)}) n
  `.execute(db);
  const session = found.rows[0];
  if (!session) throw notFound('The session');

  const roster = await sql<RosterRow>`
    select b.id as booking_id, b.status as booking_status, b.starts_at,
      c.id as client_id, c.name, c.avatar_url, ${statusSql(now)} as status, c.erased, c.tags,
      c.first_booking_at,
      (select count(*) from bookings x
        where x.crm_id = b.crm_id and x.client_id = b.client_id and x.status <> 'cancelled'
          and (x.starts_at, x.id) <= (b.starts_at, b.id))::int as class_number,
      (select max(x.starts_at) from bookings x
        where x.crm_id = b.crm_id and x.client_id = b.client_id and x.status = 'completed'
          and x.starts_at < b.starts_at) as previous_attended_at,
      left(n.text, ${LIMITS.noteExcerptCodePoints}) as excerpt, n.updated_at as note_updated_at
    from bookings b
      join clients c on c.id = b.client_id
      left join notes n on n.crm_id = b.crm_id and n.client_id = b.client_id and n.text <> ''
    where b.crm_id = ${crm.id} and b.session_key = ${session.session_key}
      and b.status <> 'cancelled'
    order by c.name_key, c.id, b.id
  `.execute(db);
  const alerts = await liveAlerts(
    db,
    crm.id,
    roster.rows.map((r) => r.client_id),
    today,
  );
  return {
    ...toSession(session),
    roster: roster.rows.map((r): RosterEntry => {
      const classNumber = toNumber(r.class_number);
      const day = localDate(crm.timeZone, r.starts_at);
      const gap = r.previous_attended_at
        ? daysBetween(localDate(crm.timeZone, r.previous_attended_at), day)
        : null;
      return {
        client: {
          id: r.client_id,
          name: r.name,
          avatarUrl: r.avatar_url,
          status: r.status,
          erased: Boolean(r.erased),
          tags: r.tags ?? [],
        },
        bookingStatus: r.booking_status,
        firstTime: toIso(r.first_booking_at) === toIso(r.starts_at),
        classNumber,
        milestone: milestoneOf(classNumber),
        returningAfterDays: gap !== null && gap >= LIMITS.returningAfterDays ? gap : null,
        alerts: alerts.get(r.client_id) ?? [],
        note:
          r.excerpt !== null ? { excerpt: r.excerpt, updatedAt: toIso(r.note_updated_at) } : null,
      };
    }),
  };
}
