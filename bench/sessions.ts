/**
 * Sessions benchmark (issue 16): the pre-class screen's two reads on a studio of N clients
 * (default 20,000, 8 teachers, two years of bookings, the demo timetable of the next two
 * weeks), in process on PGlite (in memory), after `vacuum analyze`:
 *
 * - a week of sessions: `GET .../sessions` for the next 7 days, every teacher (the owner's
 *   "All teachers") and one teacher's (a teacher's default), first page of 100;
 * - the roster of a 30-person class whose clients have history, notes and alerts.
 *
 * "db" is the time of the route's database work (the domain functions the routes call);
 * "http" the whole request through the app (routing, auth, membership, JSON), in process.
 */
import { sql } from 'kysely';
import { createApp, openDatabase } from '../demo/server/index.js';
import type { CrmAccess } from '../demo/server/domain/context.js';
import { sessionDetail, sessionPage } from '../demo/server/domain/sessions.js';
import { recomputeClients } from '../demo/server/domain/rules.js';
import { generateBenchCrm } from '../demo/server/seed/generate.js';
import { NOW } from './server.js';
import { summarise, timed, type Summary } from './stats.js';

export interface SessionsCase {
  name: string;
  rows: number;
  db: Summary;
  http: Summary;
}

export interface SessionsResult {
  db: 'pglite';
  clients: number;
  bookings: number;
  sessionsInWeek: number;
  requests: number;
  cases: SessionsCase[];
}

const DAY = 86_400_000;
const CLASS = 'bench-class-30';

export async function sessionsBench(opts: {
  clients: number;
  requests: number;
  log: (line: string) => void;
}): Promise<SessionsResult> {
  const db = await openDatabase({ dataDir: 'memory' });
  try {
    const now = new Date(NOW);
    const g = await generateBenchCrm(db, { clients: opts.clients, now });
    opts.log(`sessions: generated ${opts.clients} clients, ${g.bookings} bookings`);
    const crmRow = await sql<{ name: string; currency: string; time_zone: string }>`
      select name, currency, time_zone from crms where id = ${g.crmId}
    `.execute(db);
    const k = crmRow.rows[0]!;
    const crm: CrmAccess = {
      id: g.crmId,
      kind: 'studio',
      name: k.name,
      currency: k.currency,
      timeZone: k.time_zone,
      ownerUserId: g.ownerUserId,
      role: 'owner',
    };

    // A 30-person class in two days: clients with history, a third with a note, a fifth with
    // alerts (besides the seed's own).
    const regulars = await sql<{ id: string; name: string; teacher: string }>`
      select c.id, c.name, c.teacher_ids[1] as teacher from clients c
      where c.crm_id = ${g.crmId} and c.total_bookings >= 5 and not c.erased
      order by c.id limit 30
    `.execute(db);
    const teacher = regulars.rows[0]!.teacher;
    const startsAt = new Date(now.getTime() + 2 * DAY).toISOString();
    for (const [i, c] of regulars.rows.entries()) {
      await sql`
        insert into bookings (id, crm_id, client_id, teacher_user_id, class_title, starts_at,
          location, status, payment_status, amount_minor, refunded_minor, currency, client_name,
          updated_at, session_id)
        values (${`bk_${CLASS}_${i}`}, ${g.crmId}, ${c.id}, ${teacher}, 'Power Vinyasa',
          ${startsAt}::timestamptz, 'Room A', 'booked', 'paid', 2200, 0, ${k.currency}, ${c.name},
          ${NOW}::timestamptz, ${CLASS})
      `.execute(db);
      if (i % 3 === 0) {
        await sql`
          insert into notes (client_id, crm_id, text, version, updated_at, updated_by)
          values (${c.id}, ${g.crmId}, ${'Prefers the corner spot. '.repeat(40)}, 1,
            ${NOW}::timestamptz, ${teacher})
          on conflict (client_id) do nothing
        `.execute(db);
      }
      if (i % 5 === 0) {
        await sql`
          insert into client_alerts (id, crm_id, client_id, text, until, created_by, created_at)
          values (${`alr_${CLASS}_${i}`}, ${g.crmId}, ${c.id}, 'Knee: pad for kneeling', null,
            ${teacher}, ${NOW}::timestamptz)
        `.execute(db);
      }
    }
    await recomputeClients(db, { clientIds: regulars.rows.map((r) => r.id) }, now);
    // As autovacuum leaves a PostgreSQL database: the visibility map set, so the week's
    // index-only scan reads no heap (PGlite has no autovacuum; after a bulk load it would).
    await sql`vacuum analyze`.execute(db);

    const week = { from: now, to: new Date(now.getTime() + 7 * DAY) };
    const inWeek = await sessionPage(db, crm, { range: week }, 200, now);
    const app = createApp({ db, clock: () => new Date(NOW) });
    const base = `/v1/crms/${g.crmId}/sessions`;
    const headers = { authorization: `Bearer ${g.token}` };

    const cases: {
      name: string;
      db: () => Promise<number>;
      path: string;
    }[] = [
      {
        name: 'week, all teachers (page of 100)',
        db: async () => (await sessionPage(db, crm, { range: week }, 100, now)).items.length,
        path: base,
      },
      {
        name: 'week, one teacher',
        db: async () =>
          (await sessionPage(db, crm, { range: week, teacher }, 100, now)).items.length,
        path: `${base}?teacher=${teacher}`,
      },
      {
        name: 'roster of a 30-person class',
        db: async () => (await sessionDetail(db, crm, CLASS, now)).roster.length,
        path: `${base}/${CLASS}`,
      },
    ];
    const out: SessionsCase[] = [];
    for (const c of cases) {
      const rows = await c.db();
      for (let i = 0; i < 10; i++) await c.db(); // warm-up
      const dbTimes: number[] = [];
      for (let i = 0; i < opts.requests; i++) dbTimes.push(await timed(c.db));
      const httpTimes: number[] = [];
      for (let i = 0; i < opts.requests; i++) {
        httpTimes.push(
          await timed(async () => {
            const res = await app.request(c.path, { headers });
            if (res.status !== 200) throw new Error(`${c.path}: ${res.status}`);
            await res.arrayBuffer();
          }),
        );
      }
      out.push({ name: c.name, rows, db: summarise(dbTimes), http: summarise(httpTimes) });
      opts.log(`sessions: ${c.name} done`);
    }
    return {
      db: 'pglite',
      clients: opts.clients,
      bookings: g.bookings + regulars.rows.length,
      sessionsInWeek: inWeek.items.length,
      requests: opts.requests,
      cases: out,
    };
  } finally {
    await db.destroy();
  }
}
