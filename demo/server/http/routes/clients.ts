/**
 * The client endpoints (SPEC section 3): what the elements call with a user's bearer token.
 * Mounted under `/v1`. Each request passes the checks of `../access.ts` in order: the token,
 * membership of the CRM, the scope of the route, and on a client's routes the client.
 */
import { Hono, type Context } from 'hono';
import {
  AlertCreate,
  AttendanceQuery,
  ClientListQuery,
  MergeRequestCreate,
  MessageCreate,
  NoteUpdate,
  BookingPageQuery,
  NoteVersionsQuery,
  TagsUpdate,
} from '../../../../src/api/requests.js';
import { CSV_COLUMNS, REPEATABLE_QUERY_KEYS, type Me } from '../../../../src/api/schemas.js';
import { crmsOf, teachers } from '../../domain/accounts.js';
import { addAlert, clientAlerts, deleteAlert } from '../../domain/alerts.js';
import { bookingCursorKey, bookingPage } from '../../domain/bookings.js';
import {
  clientDetail,
  clientPage,
  listPage,
  listTotal,
  effectiveOrder,
  listCursorKey,
  listSort,
  setTags,
  tagCounts,
  toSummary,
  type ClientFilters,
  type ClientKey,
} from '../../domain/clients.js';
import { requestMerge, sendMessage } from '../../domain/messaging.js';
import { attendance, refreshExpiredRhythm } from '../../domain/insight.js';
import {
  noteVersion,
  noteVersionCursorKey,
  noteVersionPage,
  noteVersionParam,
} from '../../domain/note-history.js';
import { getNote, parseIfMatch, putNote } from '../../domain/notes.js';
import { authenticated, crmClient, crmMember, requires } from '../access.js';
import { csvDate, csvRow, decimalAmount } from '../csv.js';
import type { CrmEnv, RouteDeps } from '../env.js';
import { methodNotAllowed } from '../methods.js';
import { invalid, notFound } from '../problem.js';
import { jsonBody, parseOr400 } from '../validate.js';
import { sessionRoutes } from './sessions.js';

/** Rows per database round trip of the CSV export. */
const EXPORT_BATCH = 500;

export function clientRoutes(deps: RouteDeps): Hono<CrmEnv> {
  const { db, clock, cursors } = deps;
  const app = new Hono<CrmEnv>();
  const client = crmClient(deps);

  app.use('/me', authenticated(deps));
  app.use('/crms/*', authenticated(deps));
  app.use('/crms/:crmId/*', crmMember(deps));

  app.get('/me', async (c) => {
    const actor = c.get('actor');
    const crms = await crmsOf(db, actor.id);
    const me: Me = {
      user: { id: actor.id, name: actor.name, email: actor.email },
      // A site's sign-in sees the CRMs its approval covers.
      crms: actor.crmIds ? crms.filter((k) => actor.crmIds!.has(k.id)) : crms,
    };
    return c.json(me);
  });

  app.get('/crms/:crmId/clients', requires('crm:read'), async (c) => {
    const crm = c.get('crm');
    const query = listQuery(c);
    const sort = listSort(query);
    const order = effectiveOrder(sort, query.order);
    const filters = filtersOf(query);
    const scope = {
      kind: 'clients' as const,
      query: { crm: crm.id, sort, order, filters: normalisedFilters(filters) },
    };
    // A cursor is [sort key, id, total]: the total counted for the first page travels with
    // the cursor, so later pages do not count the CRM's clients again (an O(n) scan: 90% of
    // a page's database time at 100,000 clients, see bench/). It is the total as of the
    // first page; a new search, filter or sort counts afresh.
    const continued = query.cursor
      ? listCursorKey(sort, cursors.decode(query.cursor, scope))
      : undefined;
    const now = clock();
    const position = { sort, order, after: continued?.after, total: continued?.total };
    const page = await listPage(db, crm, filters, position, query.limit, now, c.req.raw.signal);
    return c.json({
      items: page.rows.map((r) => toSummary(r, crm)),
      nextCursor: page.next ? cursors.encode(scope, [...page.next, page.total]) : null,
      ...listTotal(crm, filters, page.total, now),
    });
  });

  app.get('/crms/:crmId/clients/export.csv', requires('crm:export'), async (c) => {
    const crm = c.get('crm');
    const query = listQuery(c);
    const sort = listSort(query);
    const order = effectiveOrder(sort, query.order);
    const filters = filtersOf(query);
    const now = clock();
    await refreshExpiredRhythm(db, crm, now);
    let after: ClientKey | null | undefined;
    let headerSent = false;
    const encoder = new TextEncoder();
    // Pull-based: one keyset batch per pull, so memory stays flat however many clients.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          if (!headerSent) {
            headerSent = true;
            controller.enqueue(encoder.encode(csvRow(CSV_COLUMNS)));
            return;
          }
          if (after === null) {
            controller.close();
            return;
          }
          const page = await clientPage(
            db,
            crm,
            filters,
            { sort, order, after },
            EXPORT_BATCH,
            now,
          );
          let chunk = '';
          for (const r of page.rows) {
            const s = toSummary(r, crm);
            chunk += csvRow([
              s.name,
              s.email,
              { phone: r.phone },
              s.totalBookings,
              decimalAmount(s.lifetimeSpend.amountMinor, crm.currency),
              csvDate(s.firstBookingAt),
              csvDate(s.lastBookingAt),
              s.status,
              s.tags.join('; '),
            ]);
          }
          if (chunk) controller.enqueue(encoder.encode(chunk));
          after = page.next;
        } catch (err) {
          controller.error(err);
        }
      },
    });
    const date = now.toISOString().slice(0, 10);
    return new Response(body, {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8; header=present',
        'content-disposition': `attachment; filename="clients-${date}.csv"`,
        'cache-control': 'no-store',
      },
    });
  });

  app.get('/crms/:crmId/clients/:clientId', requires('crm:read'), client, async (c) =>
    c.json(await clientDetail(db, c.get('crm'), c.get('client'), clock())),
  );

  app.get('/crms/:crmId/clients/:clientId/bookings', requires('crm:read'), client, async (c) => {
    const crm = c.get('crm');
    const clientId = c.get('client').id;
    const query = parseOr400(BookingPageQuery, c.req.query());
    // The order is part of the cursor's scope: a newest-first cursor cannot continue oldest first.
    const { order } = query;
    const scope = { kind: 'bookings' as const, query: { crm: crm.id, client: clientId, order } };
    const after = query.cursor ? bookingCursorKey(cursors.decode(query.cursor, scope)) : undefined;
    const page = await bookingPage(db, crm.id, clientId, after, query.limit, order);
    return c.json({
      items: page.items,
      nextCursor: page.next ? cursors.encode(scope, page.next) : null,
    });
  });

  app.get('/crms/:crmId/clients/:clientId/note', requires('crm:read'), client, async (c) => {
    const note = await getNote(db, c.get('crm').id, c.get('client').id);
    c.header('etag', `"${note.version}"`);
    c.header('cache-control', 'no-store');
    return c.json(note);
  });

  app.put('/crms/:crmId/clients/:clientId/note', requires('crm:write'), client, async (c) => {
    const expected = parseIfMatch(c.req.header('if-match'));
    const body = parseOr400(NoteUpdate, await jsonBody(c.req.raw));
    const note = await putNote(
      db,
      c.get('crm').id,
      c.get('client').id,
      body.text,
      expected,
      c.get('actor').id,
      clock(),
    );
    c.header('etag', `"${note.version}"`);
    return c.json(note);
  });

  app.get('/crms/:crmId/clients/:clientId/attendance', requires('crm:read'), client, async (c) => {
    const query = parseOr400(AttendanceQuery, c.req.query());
    return c.json(await attendance(db, c.get('crm'), c.get('client').id, query.months, clock()));
  });

  app.get(
    '/crms/:crmId/clients/:clientId/note/versions',
    requires('crm:read'),
    client,
    async (c) => {
      const crm = c.get('crm');
      const clientId = c.get('client').id;
      const query = parseOr400(NoteVersionsQuery, c.req.query());
      const scope = { kind: 'noteVersions' as const, query: { crm: crm.id, client: clientId } };
      const before = query.cursor
        ? noteVersionCursorKey(cursors.decode(query.cursor, scope))
        : undefined;
      const page = await noteVersionPage(db, crm.id, clientId, before, query.limit);
      c.header('cache-control', 'no-store');
      return c.json({
        items: page.items,
        nextCursor: page.next === null ? null : cursors.encode(scope, [page.next]),
      });
    },
  );

  app.get(
    '/crms/:crmId/clients/:clientId/note/versions/:version',
    requires('crm:read'),
    client,
    async (c) => {
      const version = noteVersionParam(c.req.param('version'));
      c.header('cache-control', 'no-store');
      return c.json(await noteVersion(db, c.get('crm').id, c.get('client').id, version));
    },
  );

  app.put('/crms/:crmId/clients/:clientId/tags', requires('crm:write'), client, async (c) => {
    const body = parseOr400(TagsUpdate, await jsonBody(c.req.raw));
    if (c.get('client').erased) {
      throw invalid([], "This client's personal data was erased; tags cannot be set");
    }
    const tags = await setTags(db, c.get('crm'), c.get('client').id, body.tags, clock());
    if (!tags) throw notFound('The client');
    return c.json({ tags });
  });

  app.post(
    '/crms/:crmId/clients/:clientId/messages',
    requires('crm:message'),
    client,
    async (c) => {
      const body = parseOr400(MessageCreate, await jsonBody(c.req.raw));
      const sent = await sendMessage(
        db,
        c.get('crm'),
        c.get('client').id,
        c.get('actor'),
        body,
        clock(),
      );
      return c.json(sent, 202);
    },
  );

  app.get('/crms/:crmId/clients/:clientId/alerts', requires('crm:read'), client, async (c) => {
    c.header('cache-control', 'no-store');
    return c.json({
      items: await clientAlerts(db, c.get('crm'), c.get('client').id, clock()),
    });
  });

  app.post('/crms/:crmId/clients/:clientId/alerts', requires('crm:write'), client, async (c) => {
    const body = parseOr400(AlertCreate, await jsonBody(c.req.raw));
    const alert = await addAlert(
      db,
      c.get('crm'),
      c.get('client').id,
      c.get('actor'),
      body,
      clock(),
    );
    return c.json(alert, 201);
  });

  app.delete(
    '/crms/:crmId/clients/:clientId/alerts/:alertId',
    requires('crm:write'),
    client,
    async (c) => {
      await deleteAlert(db, c.get('crm'), c.get('client').id, c.req.param('alertId'));
      return c.body(null, 204);
    },
  );

  app.route('/crms/:crmId/sessions', sessionRoutes(deps));

  app.get('/crms/:crmId/tags', requires('crm:read'), async (c) =>
    c.json(await tagCounts(db, c.get('crm'))),
  );

  app.get('/crms/:crmId/teachers', requires('crm:read'), async (c) =>
    c.json(await teachers(db, c.get('crm'))),
  );

  app.post('/crms/:crmId/merge-requests', requires('crm:write'), async (c) => {
    const body = parseOr400(MergeRequestCreate, await jsonBody(c.req.raw));
    const result = await requestMerge(
      db,
      c.get('crm'),
      c.get('actor'),
      body.clientIds,
      body.reason,
      clock(),
    );
    return c.json(result, 202);
  });

  methodNotAllowed(app);
  return app;
}

/** The list query from the URL: repeatable keys as arrays, others as single values. */
function listQuery(c: Context): ClientListQuery {
  const raw: Record<string, unknown> = {};
  for (const [key, values] of Object.entries(c.req.queries())) {
    raw[key] = (REPEATABLE_QUERY_KEYS as readonly string[]).includes(key) ? values : values[0];
  }
  return parseOr400(ClientListQuery, raw);
}

const filtersOf = (q: ClientListQuery): ClientFilters => ({
  q: q.q || undefined,
  status: q.status,
  segment: q.segment,
  tag: q.tag,
  teacher: q.teacher,
});

/** Filters in a canonical form, so the same query always binds the same cursor. */
function normalisedFilters(f: ClientFilters) {
  return {
    q: f.q ?? '',
    status: [...new Set(f.status ?? [])].sort(),
    segment: f.segment ?? '',
    tag: [...new Set((f.tag ?? []).map((t) => t.toLowerCase()))].sort(),
    teacher: f.teacher ?? '',
  };
}
