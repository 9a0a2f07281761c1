/**
 * `tsx bench/explain.ts [--clients N]`: EXPLAIN ANALYZE of the list's queries on PGlite, for
 * profiling the server figures (not part of `npm run bench`).
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { startServer } from '../demo/server/index.js';
import { generateBenchCrm } from '../demo/server/seed/generate.js';
import { statusSql, growingSql, slippingSql } from '../demo/server/domain/rules.js';
import { overdueSql } from '../demo/server/domain/insight.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '20000' },
    db: { type: 'string', default: 'pglite' },
  },
});
const NOW = new Date('2026-06-15T12:00:00Z');
const databaseUrl = values.db === 'postgres' ? process.env.TEST_DATABASE_URL : undefined;
const server = await startServer({
  port: 0,
  now: NOW.toISOString(),
  ...(databaseUrl ? { databaseUrl } : { dataDir: 'memory' }),
});
try {
  const { crmId } = await generateBenchCrm(server.db, {
    clients: Number(values.clients),
    now: NOW,
  });
  await sql`analyze`.execute(server.db);
  const show = async (label: string, q: ReturnType<typeof sql>) => {
    for (let i = 0; i < 3; i++) await q.execute(server.db);
    const r = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${q}`.execute(
      server.db,
    );
    console.log(`\n== ${label}\n${r.rows.map((x) => Object.values(x)[0]).join('\n')}`);
  };
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
} finally {
  await server.close();
}
