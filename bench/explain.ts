/**
 * `tsx bench/explain.ts [--clients N] [--data-dir DIR] [--what list,search,sessions]`:
 * EXPLAIN ANALYZE of the server's queries on PGlite, for profiling the server figures (not
 * part of `npm run bench`). `--data-dir` reuses a PGlite directory that already holds a bench
 * CRM (`npm run seed -- --clients N` or an earlier run) instead of generating one in memory.
 * `search`: the capped count and the first page of searches as `clientPage` reads them (ids
 * first, the sort order walked first, a short search), `sessions`: a week of sessions.
 * PGlite's EXPLAIN ANALYZE timings are inflated (its clock calls cost inside WASM): read the
 * plan shapes, row counts and buffers; bench/README.md has the timings.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { startServer } from '../demo/server/index.js';
import { generateBenchCrm } from '../demo/server/seed/generate.js';
import { statusSql, growingSql, slippingSql } from '../demo/server/domain/rules.js';
import { overdueSql } from '../demo/server/domain/insight.js';
import { sessionPageSql } from '../demo/server/domain/sessions.js';
import { searchSql } from '../demo/server/domain/clients.js';
import type { CrmAccess } from '../demo/server/domain/context.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20000' },
    db: { type: 'string', default: 'pglite' },
    'data-dir': { type: 'string' },
    what: { type: 'string', default: 'list' },
  },
});
const what = new Set(values.what.split(','));
const NOW = new Date('2026-06-15T12:00:00Z');
const databaseUrl = values.db === 'postgres' ? process.env.TEST_DATABASE_URL : undefined;
const server = await startServer({
  port: 0,
  now: NOW.toISOString(),
  ...(databaseUrl ? { databaseUrl } : { dataDir: values['data-dir'] ?? 'memory' }),
});
try {
  const existing = values['data-dir']
    ? (
        await sql<{ id: string }>`select id from crms where id like 'crm_bench_%' limit 1`.execute(
          server.db,
        )
      ).rows[0]?.id
    : undefined;
  const crmId =
    existing ??
    (
      await generateBenchCrm(server.db, {
        clients: Number(values.clients),
        now: NOW,
      })
    ).crmId;
  await sql`analyze`.execute(server.db);
  const show = async (label: string, q: ReturnType<typeof sql>) => {
    for (let i = 0; i < 3; i++) await q.execute(server.db);
    const r = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${q}`.execute(
      server.db,
    );
    console.log(`\n== ${label}\n${r.rows.map((x) => Object.values(x)[0]).join('\n')}`);
  };
  if (what.has('list')) await listPlans(crmId, show);
  if (what.has('search')) await searchPlans(crmId, show);
  if (what.has('sessions')) await sessionPlans(crmId, show);
} finally {
  await server.close();
}

type Show = (label: string, q: ReturnType<typeof sql>) => Promise<void>;

async function listPlans(crmId: string, show: Show) {
  const teachers = sql`(select coalesce(json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name, u.id), '[]'::json) from users u where u.id = any(c.teacher_ids))`;
  const sel = sql`c.id, c.name, c.name_key, c.email, c.phone, c.avatar_url, c.total_bookings, c.lifetime_spend, c.spend_bookings, c.first_booking_at, c.last_booking_at, c.last_attended_at, ${statusSql(NOW)} as status, ${growingSql(NOW)} as growing, c.tags, c.erased, ${teachers} as teachers`;
  await show('count all', sql`select count(*)::int from clients c where c.crm_id = ${crmId}`);
  await show(
    'page recent first',
    sql`select ${sel} from clients c where c.crm_id = ${crmId} order by c.recent_key desc, c.id desc limit 51`,
  );
  await show(
    'page recent no teachers',
    sql`select c.id from clients c where c.crm_id = ${crmId} order by c.recent_key desc, c.id desc limit 51`,
  );
  await show(
    'count sofia',
    sql`select count(*)::int from clients c where c.crm_id = ${crmId} and (c.name ilike '%sofia%' or c.email ilike '%sofia%')`,
  );
  await show(
    'page sofia recent',
    sql`select ${sel} from clients c where c.crm_id = ${crmId} and (c.name ilike '%sofia%' or c.email ilike '%sofia%') order by c.recent_key desc, c.id desc limit 51`,
  );
  const slipping = slippingSql(NOW, NOW.toISOString().slice(0, 10));
  await show(
    'count slipping',
    sql`select count(*)::int from clients c where c.crm_id = ${crmId} and ${slipping}`,
  );
  await show(
    'page slipping overdue',
    sql`select ${sel}, ${overdueSql(NOW.toISOString().slice(0, 10))} as overdue from clients c where c.crm_id = ${crmId} and ${slipping} order by overdue desc, c.id asc limit 51`,
  );
  await show(
    'tags',
    sql`select (array_agg(t.tag order by c.tags_seq nulls first, c.id))[1] as tag, count(*)::int as count from clients c cross join lateral unnest(c.tags) as t(tag) where c.crm_id = ${crmId} group by lower(t.tag) order by count(*) desc, lower(t.tag)`,
  );
}

/** The statements `countClients` and `clientPage` run for a search (their SQL, abridged). */
async function searchPlans(crmId: string, show: Show) {
  // the route's search condition: a substring from 3 characters, a word's start below
  const where = (q: string) => sql`c.crm_id = ${crmId} and ${searchSql(q)}`;
  for (const q of ['sofia', 'gmail', 'a', 'zq']) {
    // countClients counts a 3+ character search with random_page_cost 1.1 (one connection on
    // PGlite: the setting holds for the next statement)
    const long = q.length >= 3;
    if (long) await sql`set random_page_cost = 1.1`.execute(server.db);
    await show(
      `count ${q} (capped${long ? ', random_page_cost 1.1' : ''})`,
      sql`select count(*)::int from (select 1 from clients c where ${where(q)} limit 1001) m`,
    );
    if (long) await sql`reset random_page_cost`.execute(server.db);
  }
  for (const [q, key, dir] of [
    ['sofia', 'name_key', 'asc'],
    ['sofia', 'recent_key', 'desc'],
    ['kowalski', 'lifetime_spend', 'desc'],
  ] as const) {
    const order = sql`${sql.ref(`m.${key}`)} ${sql.raw(dir)}, m.id ${sql.raw(dir)}`;
    await show(
      `page ${q} by ${key} ${dir}: ids first`,
      sql`with m as materialized (select c.id, ${sql.ref(`c.${key}`)} from clients c where ${where(q)}),
        top as (select m.id from m order by ${order} limit 51)
        select c.id, c.name from top t join clients c on c.id = t.id`,
    );
  }
  await show(
    'page gmail by recent: the first 1,000 of the sort order walked first',
    sql`select c.id, c.name from (select * from clients c where c.crm_id = ${crmId} order by c.recent_key desc, c.id desc limit 1000) c
      where ${searchSql('gmail')} order by c.recent_key desc, c.id desc limit 51`,
  );
  for (const q of ['so', 'zq']) {
    await show(
      `page ${q} by recent: a short search (a word's start) reads its matches' ids`,
      sql`with m as materialized (select c.id, c.recent_key from clients c where ${where(q)}),
        top as (select m.id from m order by m.recent_key desc, m.id desc limit 51)
        select c.id, c.name from top t join clients c on c.id = t.id`,
    );
  }
}

async function sessionPlans(crmId: string, show: Show) {
  const crm: CrmAccess = {
    id: crmId,
    kind: 'studio',
    name: 'bench',
    currency: 'EUR',
    timeZone: 'UTC',
    ownerUserId: '',
    role: 'owner',
  };
  const week = { from: NOW, to: new Date(NOW.getTime() + 7 * 86_400_000) };
  await show('sessions: a week, every teacher', sessionPageSql(crm, { range: week }, 100, NOW));
}
