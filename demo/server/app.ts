/**
 * The CRM HTTP API (SPEC section 3) as a Hono app: client endpoints for the elements and
 * platform endpoints for the booking system. Routes validate, authorise and delegate to
 * `domain/`; every error leaves as RFC 9457 problem details.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { sql } from 'kysely';
import {
  ClientListQuery,
  MergeRequestCreate,
  MessageCreate,
  NoteUpdate,
  PageQuery,
  PlatformBookingUpsert,
  PlatformCrmCreate,
  PlatformErasureCreate,
  PlatformMemberCreate,
  PlatformTokenCreate,
  PlatformUserCreate,
  TagsUpdate,
} from '../../src/api/requests.js';
import {
  CSV_COLUMNS,
  REPEATABLE_QUERY_KEYS,
  type CrmSummary,
  type Me,
  type Scope,
} from '../../src/api/schemas.js';
import type { Db } from './db/database.js';
import { toNumber } from './db/schema.js';
import { bookingPage, upsertBooking } from './domain/bookings.js';
import {
  clientDetail,
  clientPage,
  countClients,
  effectiveOrder,
  getClientRow,
  setTags,
  tagCounts,
  toSummary,
  validKey,
  type ClientFilters,
} from './domain/clients.js';
import type { Actor, CrmAccess } from './domain/context.js';
import { newId } from './domain/ids.js';
import { eraseEmail, outbox, requestMerge, sendMessage } from './domain/messaging.js';
import { getNote, parseIfMatch, putNote } from './domain/notes.js';
import { authenticate, hashToken, isPlatformToken, newToken, requireScope } from './http/auth.js';
import { cors } from './http/cors.js';
import { csvDate, csvRow, decimalAmount } from './http/csv.js';
import { CursorCodec } from './http/cursor.js';
import { ApiError, invalid, notFound } from './http/problem.js';
import { jsonBody, parseOr400 } from './http/validate.js';

export interface AppOptions {
  db: Db;
  /** The server clock: fixed by `CRM_NOW`, else the real time. */
  clock: () => Date;
  platformToken?: string | undefined;
  allowedOrigins?: readonly string[] | undefined;
  /** HMAC secret of pagination cursors; random per process when absent. */
  cursorSecret?: string | undefined;
}

interface Env {
  Variables: { actor: Actor; crm: CrmAccess };
}

type Ctx = Context<Env>;
type Handler = (c: Ctx) => Promise<Response> | Response;

const EXPORT_BATCH = 500;

export function createApp(options: AppOptions): Hono<Env> {
  const { db, clock } = options;
  const cursors = new CursorCodec(options.cursorSecret);
  const app = new Hono<Env>();

  app.onError((err, c) => {
    if (err instanceof ApiError) return err.toResponse();
    if (err instanceof Error && 'getResponse' in err && typeof err.getResponse === 'function') {
      const res = err.getResponse() as Response;
      if (res.status === 413) {
        return new ApiError(413, 'invalid_request', 'The request body is too large').toResponse();
      }
    }
    console.error(`${c.req.method} ${c.req.path} failed:`, err);
    return new ApiError(500, 'internal', 'Something went wrong on our side').toResponse();
  });
  app.notFound((c) => notFound(`${c.req.method} ${c.req.path}`).toResponse());

  app.use('*', cors(options.allowedOrigins ?? []));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: () => {
        throw new ApiError(413, 'invalid_request', 'The request body is too large');
      },
    }),
  );

  /** Registers the methods of one path; any other method gets a 405 problem. */
  const route = (path: string, handlers: Partial<Record<'GET' | 'PUT' | 'POST', Handler>>) => {
    for (const [method, handler] of Object.entries(handlers)) {
      app.on(method, path, (c) => handler(c as Ctx));
    }
    const allow = Object.keys(handlers).join(', ');
    app.all(path, () =>
      new ApiError(405, 'method_not_allowed', `Use ${allow} on this path`, {
        headers: { allow },
      }).toResponse(),
    );
  };

  // -------------------------------------------------------------------------------------
  // Client endpoints: a user's token, scopes, membership of the CRM.
  // -------------------------------------------------------------------------------------

  const authed = async (c: Ctx, next: () => Promise<void>) => {
    c.set('actor', await authenticate(db, c.req.header('authorization'), clock()));
    await next();
  };
  app.use('/v1/me', authed);
  app.use('/v1/crms/*', authed);
  app.use('/v1/crms/:crmId/*', async (c, next) => {
    const crmId = c.req.param('crmId');
    const crm = (
      await sql<{
        id: string;
        kind: CrmAccess['kind'];
        name: string;
        currency: string;
        owner_user_id: string;
        role: CrmAccess['role'];
      }>`
        select k.id, k.kind, k.name, k.currency, k.owner_user_id, m.role
        from crms k join memberships m on m.crm_id = k.id
        where k.id = ${crmId} and m.user_id = ${c.get('actor').id}
      `.execute(db)
    ).rows[0];
    // A CRM the user is not a member of does not exist for them.
    if (!crm) throw notFound('The CRM');
    c.set('crm', {
      id: crm.id,
      kind: crm.kind,
      name: crm.name,
      currency: crm.currency,
      ownerUserId: crm.owner_user_id,
      role: crm.role,
    });
    await next();
  });

  const need = (c: Ctx, scope: Scope) => requireScope(c.get('actor'), scope);

  route('/v1/me', {
    GET: async (c) => {
      const actor = c.get('actor');
      const crms = await sql<CrmSummary>`
        select k.id, k.kind, k.name, m.role, k.currency
        from memberships m join crms k on k.id = m.crm_id
        where m.user_id = ${actor.id}
        order by (m.role = 'owner') desc, k.kind, k.name, k.id
      `.execute(db);
      const me: Me = {
        user: { id: actor.id, name: actor.name, email: actor.email },
        crms: crms.rows,
      };
      return c.json(me);
    },
  });

  /** The list query from the URL: repeatable keys as arrays, others as single values. */
  const listQuery = (c: Ctx): ClientListQuery => {
    const raw: Record<string, unknown> = {};
    const all = c.req.queries();
    for (const [key, values] of Object.entries(all)) {
      raw[key] = (REPEATABLE_QUERY_KEYS as readonly string[]).includes(key) ? values : values[0];
    }
    const query = parseOr400(ClientListQuery, raw);
    return query;
  };
  const filtersOf = (q: ClientListQuery): ClientFilters => ({
    q: q.q || undefined,
    status: q.status,
    segment: q.segment,
    tag: q.tag,
    teacher: q.teacher,
  });

  route('/v1/crms/:crmId/clients', {
    GET: async (c) => {
      need(c, 'crm:read');
      const crm = c.get('crm');
      const query = listQuery(c);
      const order = effectiveOrder(query.sort, query.order);
      const filters = filtersOf(query);
      const scope = {
        kind: 'clients' as const,
        query: { crm: crm.id, sort: query.sort, order, filters: normalisedFilters(filters) },
      };
      // A cursor is [sort key, id, total]: the total counted for the first page travels with
      // the cursor, so later pages do not count the CRM's clients again (an O(n) scan: 90% of
      // a page's database time at 100,000 clients, see bench/). It is the total as of the
      // first page; a new search, filter or sort counts afresh.
      let after: (string | number)[] | undefined;
      let carriedTotal: number | undefined;
      if (query.cursor) {
        const key = cursors.decode(query.cursor, scope);
        const [value, id, total] = key;
        if (
          key.length !== 3 ||
          typeof id !== 'string' ||
          !validKey(query.sort, value) ||
          typeof total !== 'number' ||
          !Number.isSafeInteger(total) ||
          total < 0
        ) {
          throw invalid([{ path: 'cursor', message: 'Malformed cursor' }]);
        }
        after = [value!, id];
        carriedTotal = total;
      }
      const now = clock();
      const [page, total] = await Promise.all([
        clientPage(db, crm, filters, { sort: query.sort, order, after }, query.limit, now),
        carriedTotal ?? countClients(db, crm, filters, now),
      ]);
      return c.json({
        items: page.rows.map((r) => toSummary(r, crm)),
        nextCursor: page.next ? cursors.encode(scope, [...page.next, total]) : null,
        total,
      });
    },
  });

  route('/v1/crms/:crmId/clients/export.csv', {
    GET: async (c) => {
      need(c, 'crm:export');
      const crm = c.get('crm');
      const query = listQuery(c);
      const order = effectiveOrder(query.sort, query.order);
      const filters = filtersOf(query);
      const now = clock();
      let after: (string | number)[] | null | undefined;
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
              { sort: query.sort, order, after },
              EXPORT_BATCH,
              now,
            );
            let chunk = '';
            for (const r of page.rows) {
              const s = toSummary(r, crm);
              chunk += csvRow([
                s.name,
                s.email,
                r.phone,
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
    },
  });

  route('/v1/crms/:crmId/clients/:clientId', {
    GET: async (c) => {
      need(c, 'crm:read');
      return c.json(await clientDetail(db, c.get('crm'), c.req.param('clientId')!, clock()));
    },
  });

  route('/v1/crms/:crmId/clients/:clientId/bookings', {
    GET: async (c) => {
      need(c, 'crm:read');
      const crm = c.get('crm');
      const clientId = c.req.param('clientId')!;
      const query = parseOr400(PageQuery, c.req.query());
      await getClientRow(db, crm, clientId, clock());
      const scope = { kind: 'bookings' as const, query: { crm: crm.id, client: clientId } };
      let after: [string, string] | undefined;
      if (query.cursor) {
        const key = cursors.decode(query.cursor, scope);
        if (key.length !== 2 || !validKey('recent', key[0]) || typeof key[1] !== 'string') {
          throw invalid([{ path: 'cursor', message: 'Malformed cursor' }]);
        }
        after = [String(key[0]), key[1]];
      }
      const page = await bookingPage(db, crm.id, clientId, after, query.limit);
      return c.json({
        items: page.items,
        nextCursor: page.next ? cursors.encode(scope, page.next) : null,
      });
    },
  });

  route('/v1/crms/:crmId/clients/:clientId/note', {
    GET: async (c) => {
      need(c, 'crm:read');
      const crm = c.get('crm');
      const clientId = c.req.param('clientId')!;
      await getClientRow(db, crm, clientId, clock());
      const note = await getNote(db, crm.id, clientId);
      c.header('etag', `"${note.version}"`);
      c.header('cache-control', 'no-store');
      return c.json(note);
    },
    PUT: async (c) => {
      need(c, 'crm:write');
      const crm = c.get('crm');
      const clientId = c.req.param('clientId')!;
      await getClientRow(db, crm, clientId, clock());
      const expected = parseIfMatch(c.req.header('if-match'));
      const body = parseOr400(NoteUpdate, await jsonBody(c.req.raw));
      const note = await putNote(
        db,
        crm.id,
        clientId,
        body.text,
        expected,
        c.get('actor').id,
        clock(),
      );
      c.header('etag', `"${note.version}"`);
      return c.json(note);
    },
  });

  route('/v1/crms/:crmId/clients/:clientId/tags', {
    PUT: async (c) => {
      need(c, 'crm:write');
      const crm = c.get('crm');
      const clientId = c.req.param('clientId')!;
      const row = await getClientRow(db, crm, clientId, clock());
      const body = parseOr400(TagsUpdate, await jsonBody(c.req.raw));
      if (row.erased)
        throw invalid([], "This client's personal data was erased; tags cannot be set");
      const tags = await setTags(db, crm, clientId, body.tags, clock());
      if (!tags) throw notFound('The client');
      return c.json({ tags });
    },
  });

  route('/v1/crms/:crmId/clients/:clientId/messages', {
    POST: async (c) => {
      need(c, 'crm:message');
      const crm = c.get('crm');
      const clientId = c.req.param('clientId')!;
      await getClientRow(db, crm, clientId, clock());
      const body = parseOr400(MessageCreate, await jsonBody(c.req.raw));
      const sent = await sendMessage(db, crm, clientId, c.get('actor'), body, clock());
      return c.json(sent, 202);
    },
  });

  route('/v1/crms/:crmId/tags', {
    GET: async (c) => {
      need(c, 'crm:read');
      return c.json(await tagCounts(db, c.get('crm')));
    },
  });

  route('/v1/crms/:crmId/teachers', {
    GET: async (c) => {
      need(c, 'crm:read');
      const crm = c.get('crm');
      const teachers = await sql<{ id: string; name: string }>`
        select u.id, u.name from memberships m join users u on u.id = m.user_id
        where m.crm_id = ${crm.id} and (m.role = 'teacher' or ${crm.kind === 'mentor'}
          or exists (select 1 from bookings b where b.crm_id = m.crm_id and b.teacher_user_id = m.user_id))
        order by u.name, u.id
      `.execute(db);
      return c.json(teachers.rows);
    },
  });

  route('/v1/crms/:crmId/merge-requests', {
    POST: async (c) => {
      need(c, 'crm:write');
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
    },
  });

  // -------------------------------------------------------------------------------------
  // Platform endpoints: the booking system's side, only when a platform token is set.
  // -------------------------------------------------------------------------------------

  const platformToken = options.platformToken;
  app.use('/v1/platform/*', async (c, next) => {
    if (!platformToken) throw notFound(`${c.req.method} ${c.req.path}`);
    if (!isPlatformToken(c.req.header('authorization'), platformToken)) {
      throw new ApiError(401, 'unauthenticated', 'Send the platform token as a bearer token', {
        headers: { 'www-authenticate': 'Bearer realm="platform"' },
      });
    }
    await next();
  });

  const userExists = async (id: string) =>
    (await sql`select 1 from users where id = ${id}`.execute(db)).rows.length > 0;

  route('/v1/platform/users', {
    POST: async (c) => {
      const body = parseOr400(PlatformUserCreate, await jsonBody(c.req.raw));
      const id = newId('usr');
      await sql`insert into users (id, name, email) values (${id}, ${body.name}, ${body.email})`.execute(
        db,
      );
      return c.json({ id }, 201);
    },
  });

  route('/v1/platform/crms', {
    POST: async (c) => {
      const body = parseOr400(PlatformCrmCreate, await jsonBody(c.req.raw));
      if (!(await userExists(body.ownerUserId))) {
        throw invalid([{ path: 'ownerUserId', message: 'No such user' }]);
      }
      const id = newId('crm');
      await db.transaction().execute(async (trx) => {
        await sql`
          insert into crms (id, kind, name, owner_user_id, currency)
          values (${id}, ${body.kind}, ${body.name}, ${body.ownerUserId}, ${body.currency})
        `.execute(trx);
        await sql`
          insert into memberships (crm_id, user_id, role) values (${id}, ${body.ownerUserId}, 'owner')
        `.execute(trx);
      });
      return c.json({ id }, 201);
    },
  });

  route('/v1/platform/crms/:crmId/members', {
    POST: async (c) => {
      const crmId = c.req.param('crmId')!;
      const body = parseOr400(PlatformMemberCreate, await jsonBody(c.req.raw));
      const crm = (
        await sql<{ kind: string }>`select kind from crms where id = ${crmId}`.execute(db)
      ).rows[0];
      if (!crm) throw notFound('The CRM');
      if (crm.kind !== 'studio') {
        throw invalid([], 'Only a studio CRM has members; a mentor CRM is its owner’s alone');
      }
      if (!(await userExists(body.userId))) {
        throw invalid([{ path: 'userId', message: 'No such user' }]);
      }
      await sql`
        insert into memberships (crm_id, user_id, role) values (${crmId}, ${body.userId}, 'teacher')
        on conflict (crm_id, user_id) do nothing
      `.execute(db);
      return c.body(null, 204);
    },
  });

  route('/v1/platform/tokens', {
    POST: async (c) => {
      const body = parseOr400(PlatformTokenCreate, await jsonBody(c.req.raw));
      if (!(await userExists(body.userId))) {
        throw invalid([{ path: 'userId', message: 'No such user' }]);
      }
      const token = newToken();
      const expiresAt = new Date(clock().getTime() + body.ttlSeconds * 1000).toISOString();
      await sql`
        insert into tokens (token_hash, user_id, scopes, expires_at)
        values (${hashToken(token)}, ${body.userId}, ${[...new Set(body.scopes)]}::text[],
          ${expiresAt}::timestamptz)
      `.execute(db);
      return c.json({ token, expiresAt }, 201);
    },
  });

  route('/v1/platform/bookings/:bookingId', {
    PUT: async (c) => {
      const bookingId = c.req.param('bookingId')!;
      if (bookingId.length > 100) throw invalid([{ path: 'bookingId', message: 'Too long' }]);
      const body = parseOr400(PlatformBookingUpsert, await jsonBody(c.req.raw));
      return c.json(await upsertBooking(db, bookingId, body, clock()));
    },
  });

  route('/v1/platform/erasures', {
    POST: async (c) => {
      const body = parseOr400(PlatformErasureCreate, await jsonBody(c.req.raw));
      return c.json(await eraseEmail(db, body.email, clock()));
    },
  });

  route('/v1/platform/outbox', {
    GET: async (c) => c.json({ items: await outbox(db) }),
  });

  route('/healthz', {
    GET: async (c) => {
      const r = await sql<{ ok: number }>`select 1 as ok`.execute(db);
      return c.json({ ok: toNumber(r.rows[0]?.ok) === 1 });
    },
  });

  return app;
}

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
