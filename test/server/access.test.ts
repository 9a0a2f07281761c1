/** Auth, scopes, membership and cross-CRM isolation on every route; CORS; problem details. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedServer } from './shared.js';
import { sql } from 'kysely';
import { TEST_NOW, TEST_PLATFORM_TOKEN, unique } from '../helpers/platform.js';
import { createApp } from '../../demo/server/index.js';
import { hashToken } from '../../demo/server/http/auth.js';
import { Scope } from '../../src/api/schemas.js';
import { api } from './http.js';

const server = await sharedServer();
const p = server.platform;

/** Every client route: its method, a path template, a body, and the scope it needs. */
const ROUTES: {
  method: string;
  path: string;
  body?: unknown;
  scope: Scope;
  headers?: Record<string, string>;
}[] = [
  { method: 'GET', path: '/clients', scope: 'crm:read' },
  { method: 'GET', path: '/clients/export.csv', scope: 'crm:export' },
  { method: 'GET', path: '/clients/{client}', scope: 'crm:read' },
  { method: 'GET', path: '/clients/{client}/bookings', scope: 'crm:read' },
  { method: 'GET', path: '/clients/{client}/note', scope: 'crm:read' },
  {
    method: 'PUT',
    path: '/clients/{client}/note',
    body: { text: 'x' },
    scope: 'crm:write',
    headers: { 'if-match': '"0"' },
  },
  { method: 'PUT', path: '/clients/{client}/tags', body: { tags: ['a'] }, scope: 'crm:write' },
  { method: 'GET', path: '/tags', scope: 'crm:read' },
  { method: 'GET', path: '/teachers', scope: 'crm:read' },
  {
    method: 'POST',
    path: '/clients/{client}/messages',
    body: { subject: 'Hi', body: 'Hello' },
    scope: 'crm:message',
  },
  {
    method: 'POST',
    path: '/merge-requests',
    body: { clientIds: ['{client}', '{client2}'] },
    scope: 'crm:write',
  },
];

async function world() {
  const a = await p.mentor('Ann');
  const b = await p.mentor('Ben');
  const mk = async (crmId: string, userId: string) =>
    (await p.booking(crmId, userId, { email: `${unique()}@example.test` })).clientId;
  const aClient = await mk(a.crmId, a.user.id);
  const aClient2 = await mk(a.crmId, a.user.id);
  const bClient = await mk(b.crmId, b.user.id);
  const bClient2 = await mk(b.crmId, b.user.id);
  return { a, b, aClient, aClient2, bClient, bClient2 };
}

const fill = (path: string, crmId: string, client: string, client2: string) =>
  `/v1/crms/${crmId}${path.replace('{client}', client)}`.replace('{client2}', client2);
const fillBody = (body: unknown, client: string, client2: string) =>
  body === undefined
    ? undefined
    : JSON.parse(JSON.stringify(body).replace('{client}', client).replace('{client2}', client2));

describe('authentication', () => {
  test('no token or an unknown token is 401 unauthenticated on every route', async () => {
    const w = await world();
    const real = await p.token(w.a.user.id, ['crm:read'], 1);
    for (const token of [undefined, 'bogus', `${real}x`]) {
      const http = api(server.url, token);
      for (const r of [
        { method: 'GET', path: '/v1/me' },
        ...ROUTES.map((r) => ({ ...r, path: fill(r.path, w.a.crmId, w.aClient, w.aClient2) })),
      ]) {
        const res = await http.call(
          r.method,
          r.path,
          'body' in r ? fillBody(r.body, w.aClient, w.aClient2) : undefined,
        );
        assert.equal(res.status, 401, `${r.method} ${r.path}`);
        assert.equal(res.body.code, 'unauthenticated');
        assert.equal(res.headers.get('content-type'), 'application/problem+json');
        assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
      }
    }
  });

  test('a token past its expiry is 401; one that expires later still works', async () => {
    const u = await p.user();
    const insert = async (token: string, expiresAt: string) =>
      sql`insert into tokens (token_hash, user_id, scopes, expires_at)
        values (${hashToken(token)}, ${u.id}, ${['crm:read']}::text[], ${expiresAt}::timestamptz)`.execute(
        server.db,
      );
    const expired = `expired-${unique()}`;
    const exactlyNow = `now-${unique()}`;
    const fresh = `fresh-${unique()}`;
    await insert(expired, '2026-06-15T11:59:59.999Z');
    await insert(exactlyNow, TEST_NOW);
    await insert(fresh, '2026-06-15T12:00:00.001Z');
    for (const token of [expired, exactlyNow]) {
      const res = await api(server.url, token).get('/v1/me');
      assert.equal(res.status, 401);
      assert.match(res.body.detail, /expired/);
    }
    assert.equal((await api(server.url, fresh).get('/v1/me')).status, 200);
  });

  test('GET /v1/me lists the user and the CRMs they can open with their role', async () => {
    const s = await p.studio(1);
    const teacher = s.teachers[0]!;
    const own = await p.crm('mentor', teacher.id, 'My own', 'GBP');
    const me = await api(server.url, teacher.token).get('/v1/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.user, { id: teacher.id, name: teacher.name, email: teacher.email });
    const crms = me.body.crms.map(
      (c: { id: string; role: string; kind: string; currency: string }) => [
        c.id,
        c.role,
        c.kind,
        c.currency,
      ],
    );
    assert.deepEqual(
      crms.sort(),
      [
        [own, 'owner', 'mentor', 'GBP'],
        [s.crmId, 'teacher', 'studio', 'EUR'],
      ].sort(),
    );
  });

  test("a CRM's time zone is set at creation (default UTC) and returned by /v1/me", async () => {
    const u = await p.user('Zoe Zone');
    const madrid = await p.crm('mentor', u.id, 'Madrid', 'EUR', 'europe/madrid');
    const plain = await p.crm('studio', u.id, 'Plain', 'EUR');
    const me = await api(server.url, u.token).get('/v1/me');
    const zones = Object.fromEntries(
      me.body.crms.map((c: { id: string; timeZone: string }) => [c.id, c.timeZone]),
    );
    assert.deepEqual(zones, { [madrid]: 'Europe/Madrid', [plain]: 'UTC' });
  });

  test('an unknown time zone is a 400 naming timeZone, and no CRM is made', async () => {
    const u = await p.user('Zed Zone');
    for (const timeZone of ['Mars/Olympus', '', 'x'.repeat(100), 42]) {
      const r = await api(server.url, TEST_PLATFORM_TOKEN).post('/v1/platform/crms', {
        kind: 'mentor',
        name: 'Nowhere',
        ownerUserId: u.id,
        currency: 'EUR',
        timeZone,
      });
      assert.equal(r.status, 400, JSON.stringify(timeZone));
      assert.equal(r.body.code, 'invalid_request');
      assert.ok(
        r.body.errors.some((e: { path: string }) => e.path === 'timeZone'),
        JSON.stringify(r.body),
      );
    }
    const me = await api(server.url, u.token).get('/v1/me');
    assert.deepEqual(me.body.crms, []);
  });
});

describe('authorisation', () => {
  test('each route needs its scope: 403 insufficient_scope without it', async () => {
    const w = await world();
    for (const r of ROUTES) {
      const others = Scope.options.filter((s) => s !== r.scope);
      const token = await p.token(w.a.user.id, others);
      const res = await api(server.url, token).call(
        r.method,
        fill(r.path, w.a.crmId, w.aClient, w.aClient2),
        fillBody(r.body, w.aClient, w.aClient2),
        r.headers,
      );
      assert.equal(res.status, 403, `${r.method} ${r.path}`);
      assert.equal(res.body.code, 'insufficient_scope');
      const ok = await api(server.url, await p.token(w.a.user.id, [r.scope])).call(
        r.method,
        fill(r.path, w.a.crmId, w.aClient, w.aClient2),
        fillBody(r.body, w.aClient, w.aClient2),
        r.headers,
      );
      assert.ok(ok.status < 300, `${r.method} ${r.path} with ${r.scope}: ${ok.status} ${ok.text}`);
    }
  });

  test('another CRM, or a client of another CRM, is 404 not_found on every route', async () => {
    const w = await world();
    const http = api(server.url, w.a.user.token);
    for (const r of ROUTES) {
      // B's CRM with B's clients: A is not a member
      const foreignCrm = await http.call(
        r.method,
        fill(r.path, w.b.crmId, w.bClient, w.bClient2),
        fillBody(r.body, w.bClient, w.bClient2),
        r.headers,
      );
      assert.equal(foreignCrm.status, 404, `${r.method} ${r.path} (foreign CRM)`);
      assert.equal(foreignCrm.body.code, 'not_found');
      if (r.path.includes('{client}')) {
        // A's own CRM, B's client ids
        const foreignClient = await http.call(
          r.method,
          fill(r.path, w.a.crmId, w.bClient, w.bClient2),
          fillBody(r.body, w.bClient, w.bClient2),
          r.headers,
        );
        assert.equal(foreignClient.status, 404, `${r.method} ${r.path} (foreign client)`);
        assert.equal(foreignClient.body.code, 'not_found');
      }
    }
    // merge with one own and one foreign client
    const mixed = await http.post(`/v1/crms/${w.a.crmId}/merge-requests`, {
      clientIds: [w.aClient, w.bClient],
    });
    assert.equal(mixed.status, 404);
    // and nothing of B's changed
    const bHttp = api(server.url, w.b.user.token);
    assert.deepEqual((await bHttp.get(`/v1/crms/${w.b.crmId}/clients/${w.bClient}`)).body.tags, []);
    assert.equal(
      (await bHttp.get(`/v1/crms/${w.b.crmId}/clients/${w.bClient}/note`)).body.version,
      0,
    );
  });

  test('studio members share the CRM; a teacher of one studio cannot open another', async () => {
    const s1 = await p.studio(2);
    const s2 = await p.studio(1);
    const c = (await p.booking(s1.crmId, s1.teachers[0]!.id, { email: `${unique()}@example.test` }))
      .clientId;
    for (const u of [s1.owner, ...s1.teachers]) {
      assert.equal(
        (await api(server.url, u.token).get(`/v1/crms/${s1.crmId}/clients/${c}`)).status,
        200,
      );
    }
    assert.equal(
      (await api(server.url, s2.teachers[0]!.token).get(`/v1/crms/${s1.crmId}/clients/${c}`))
        .status,
      404,
    );
  });

  test('platform endpoints refuse user tokens and a wrong platform token', async () => {
    const u = await p.user();
    for (const token of [u.token, 'wrong', undefined]) {
      const r = await api(server.url, token).get('/v1/platform/outbox');
      assert.equal(r.status, 401);
      assert.equal(r.body.code, 'unauthenticated');
    }
  });

  test('without a platform token configured, platform endpoints do not exist', async () => {
    // The same server code and database, configured without a platform token.
    const bare = createApp({ db: server.db, clock: () => new Date(TEST_NOW) });
    const r = await bare.request('/v1/platform/users', {
      method: 'POST',
      headers: { authorization: 'Bearer anything', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'X', email: 'x@example.test' }),
    });
    assert.equal(r.status, 404);
    assert.equal(((await r.json()) as { code: string }).code, 'not_found');
  });
});

describe('problem details', () => {
  test('an unknown route is a 404 problem, a wrong method a 405 problem', async () => {
    const u = await p.user();
    const http = api(server.url, u.token);
    const nf = await http.get('/nope');
    assert.equal(nf.status, 404);
    assert.equal(nf.headers.get('content-type'), 'application/problem+json');
    assert.deepEqual(Object.keys(nf.body).sort(), ['code', 'detail', 'status', 'title', 'type']);
    const m = await api(server.url, p.platformToken).call('DELETE', '/v1/platform/outbox');
    assert.equal(m.status, 405);
    assert.equal(m.body.code, 'method_not_allowed');
    assert.equal(m.headers.get('allow'), 'GET');
    // A client's note: two methods, each behind the scope and client checks.
    const { user, crmId } = await p.mentor();
    const clientId = await p.client(crmId, user.id, { email: `${unique()}@example.test` });
    const note = await api(server.url, user.token).call(
      'DELETE',
      `/v1/crms/${crmId}/clients/${clientId}/note`,
    );
    assert.equal(note.status, 405);
    assert.equal(note.headers.get('allow'), 'GET, PUT');
  });

  test('a malformed JSON body is 400 invalid_request', async () => {
    const r = await api(server.url, p.platformToken).call('POST', '/v1/platform/users', '{nope');
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'invalid_request');
  });

  test('a platform body with bad fields is 400 with dotted paths and creates nothing', async () => {
    const before = (await p.outbox()).length;
    const r = await api(server.url, p.platformToken).post('/v1/platform/tokens', {
      userId: '',
      scopes: ['crm:admin'],
      ttlSeconds: -1,
    });
    assert.equal(r.status, 400);
    const paths = r.body.errors.map((e: { path: string }) => e.path).sort();
    assert.deepEqual(paths, ['scopes.0', 'ttlSeconds', 'userId']);
    for (const e of r.body.errors) assert.ok(e.message.length > 3, e.message);
    assert.equal((await p.outbox()).length, before);
  });
});

describe('CORS', () => {
  test('an allowed origin gets its origin back, exposed headers and Vary: Origin', async () => {
    const u = await p.user();
    const r = await api(server.url, u.token).get('/v1/me', { origin: 'https://studio.example' });
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://studio.example');
    assert.match(r.headers.get('access-control-expose-headers') ?? '', /ETag/);
    assert.match(r.headers.get('access-control-expose-headers') ?? '', /Content-Disposition/);
    assert.match(r.headers.get('vary') ?? '', /Origin/);
  });

  test('another origin gets no CORS headers (never *), still Vary: Origin', async () => {
    const u = await p.user();
    const r = await api(server.url, u.token).get('/v1/me', { origin: 'https://evil.example' });
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.match(r.headers.get('vary') ?? '', /Origin/);
  });

  test('a preflight from an allowed origin allows Authorization, If-Match and Content-Type', async () => {
    const res = await fetch(`${server.url}/v1/crms/x/clients/y/note`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://studio.example',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, if-match, content-type',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://studio.example');
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'if-match', 'content-type'])
      assert.ok(allowed.includes(h), h);
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /PUT/);
    const denied = await fetch(`${server.url}/v1/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
  });
});
