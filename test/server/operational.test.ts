/**
 * SPEC section 9, the operational guarantees: a NUL character anywhere is a 400 naming the
 * field (never a 500), a body that is not JSON is 415, every /v1 response says
 * `Cache-Control: no-store` and every response `X-Content-Type-Options: nosniff`, a failure
 * is logged without personal data, slow clients are cut off, and failed authentication is
 * rate-limited per client IP.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { configFromEnv, StartupError } from '../../demo/server/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { daysAgo, unique } from '../helpers/platform.js';
import { api, type Reply } from './http.js';
import { sharedServer } from './shared.js';

const server = await sharedServer();
const p = server.platform;

async function oneClient() {
  const { user, crmId } = await p.mentor();
  const email = `${unique()}@example.test`;
  const { clientId, id: bookingId } = await p.booking(crmId, user.id, { email });
  const http = api(server.url, user.token);
  const platform = api(server.url, p.platformToken);
  return {
    user,
    crmId,
    clientId,
    bookingId,
    email,
    http,
    platform,
    base: `/v1/crms/${crmId}/clients/${clientId}`,
  };
}

const NUL = '\u0000';

describe('NUL (U+0000) anywhere is a 400 naming the field', () => {
  test('in body strings, query parameters, path ids and body ids', async () => {
    const c = await oneClient();
    const other = await p.booking(c.crmId, c.user.id, { email: `${unique()}@example.test` });
    const booking = (client: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      crmId: c.crmId,
      teacherUserId: c.user.id,
      client: { email: `${unique()}@example.test`, name: 'Nul Test', ...client },
      classTitle: 'Flow',
      startsAt: daysAgo(3),
      location: 'Studio',
      status: 'completed',
      payment: { status: 'paid', amountMinor: 100, refundedMinor: 0, currency: 'USD' },
      ...extra,
    });
    const x = `a${NUL}b`;
    const xq = encodeURIComponent(x);
    const cases: [string, () => Promise<Reply>, string][] = [
      ['note text', () => c.http.put(`${c.base}/note`, { text: x }, { 'if-match': '"0"' }), 'text'],
      ['message body', () => c.http.post(`${c.base}/messages`, { subject: 'Hi', body: x }), 'body'],
      [
        'merge reason',
        () =>
          c.http.post(`/v1/crms/${c.crmId}/merge-requests`, {
            clientIds: [c.clientId, other.clientId],
            reason: x,
          }),
        'reason',
      ],
      [
        'merge client id',
        () =>
          c.http.post(`/v1/crms/${c.crmId}/merge-requests`, {
            clientIds: [c.clientId, x],
          }),
        'clientIds.1',
      ],
      [
        'phone',
        () => c.platform.put(`/v1/platform/bookings/${unique()}`, booking({ phone: x })),
        'client.phone',
      ],
      [
        'avatar URL',
        () => c.platform.put(`/v1/platform/bookings/${unique()}`, booking({ avatarUrl: x })),
        'client.avatarUrl',
      ],
      [
        'booking crmId',
        () => c.platform.put(`/v1/platform/bookings/${unique()}`, booking({}, { crmId: x })),
        'crmId',
      ],
      [
        'booking teacherUserId',
        () =>
          c.platform.put(`/v1/platform/bookings/${unique()}`, booking({}, { teacherUserId: x })),
        'teacherUserId',
      ],
      [
        'booking sessionId',
        () => c.platform.put(`/v1/platform/bookings/${unique()}`, booking({}, { sessionId: x })),
        'sessionId',
      ],
      [
        'token userId',
        () =>
          c.platform.post('/v1/platform/tokens', {
            userId: x,
            scopes: ['crm:read'],
            ttlSeconds: 60,
          }),
        'userId',
      ],
      [
        'member userId',
        () => c.platform.post(`/v1/platform/crms/${c.crmId}/members`, { userId: x }),
        'userId',
      ],
      ['q', () => c.http.get(`/v1/crms/${c.crmId}/clients?q=${xq}`), 'q'],
      ['teacher', () => c.http.get(`/v1/crms/${c.crmId}/clients?teacher=${xq}`), 'teacher'],
      [
        'sessions teacher',
        () => c.http.get(`/v1/crms/${c.crmId}/sessions?teacher=${xq}`),
        'teacher',
      ],
      ['crmId in the path', () => c.http.get(`/v1/crms/${xq}/clients`), 'crmId'],
      ['clientId in the path', () => c.http.get(`/v1/crms/${c.crmId}/clients/${xq}`), 'clientId'],
      [
        'clientId in the note path',
        () =>
          c.http.put(
            `/v1/crms/${c.crmId}/clients/${xq}/note`,
            { text: 'x' },
            { 'if-match': '"0"' },
          ),
        'clientId',
      ],
      [
        'sessionId in the path',
        () => c.http.get(`/v1/crms/${c.crmId}/sessions/${xq}`),
        'sessionId',
      ],
      ['alertId in the path', () => c.http.call('DELETE', `${c.base}/alerts/${xq}`), 'alertId'],
      [
        'bookingId in the path',
        () => c.platform.put(`/v1/platform/bookings/${xq}`, booking({})),
        'bookingId',
      ],
      [
        'crmId in a platform path',
        () => c.platform.post(`/v1/platform/crms/${xq}/members`, { userId: c.user.id }),
        'crmId',
      ],
    ];
    for (const [what, send, field] of cases) {
      const res = await send();
      assert.equal(res.status, 400, `${what}: ${res.status} ${res.text}`);
      assert.equal(res.body.code, 'invalid_request', what);
      assert.deepEqual(
        res.body.errors.map((e: { path: string }) => e.path),
        [field],
        `${what}: ${res.text}`,
      );
    }
    // Nothing was written.
    assert.equal((await c.http.get(`${c.base}/note`)).body.version, 0);
    assert.equal((await p.outbox()).filter((m) => m.to === c.email).length, 0);
  });
});

describe('bodies', () => {
  test('a body that is not application/json is 415 unsupported_media_type and changes nothing', async () => {
    const c = await oneClient();
    const plain = await c.http.put(`${c.base}/note`, '{"text":"from text/plain"}', {
      'content-type': 'text/plain',
      'if-match': '"0"',
    });
    assert.equal(plain.status, 415, plain.text);
    assert.equal(plain.body.code, 'unsupported_media_type');
    assert.match(plain.body.detail, /application\/json, not text\/plain/);
    const form = await c.http.post(`${c.base}/messages`, 'subject=Hi&body=There', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    assert.equal(form.status, 415, form.text);
    assert.equal((await c.http.get(`${c.base}/note`)).body.version, 0);
    // application/json with a charset, and +json types, are JSON.
    const utf8 = await c.http.put(
      `${c.base}/note`,
      { text: 'ok' },
      {
        'content-type': 'application/json; charset=utf-8',
        'if-match': '"0"',
      },
    );
    assert.equal(utf8.status, 200, utf8.text);
  });
});

describe('headers', () => {
  test('every /v1 response says Cache-Control: no-store; every response says nosniff', async () => {
    const c = await oneClient();
    const anonymous = api(server.url);
    const replies = [
      await c.http.get('/v1/me'),
      await c.http.get(`/v1/crms/${c.crmId}/clients`),
      await c.http.get(c.base),
      await c.http.get(`${c.base}/bookings`),
      await c.http.get(`${c.base}/note`),
      await c.http.get(`/v1/crms/${c.crmId}/tags`),
      await c.http.get(`/v1/crms/${c.crmId}/teachers`),
      await c.http.get(`/v1/crms/${c.crmId}/clients/export.csv`),
      await c.platform.get('/v1/platform/outbox'),
      await anonymous.get('/v1/me'),
      await c.http.get(`/v1/crms/nope/clients`),
      await c.http.get(`/v1/crms/${c.crmId}/clients?limit=0`),
      await c.http.get('/v1/nothing-here'),
    ];
    for (const r of replies) {
      assert.equal(
        r.headers.get('cache-control'),
        'no-store',
        `${r.status} ${r.text.slice(0, 80)}`,
      );
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    }
    for (const r of [await anonymous.get('/healthz'), await anonymous.get('/elsewhere')]) {
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', String(r.status));
    }
  });
});

describe('logs', () => {
  test('a 500 logs a reference, the route and the error code: no SQL parameters, text, emails or tokens', async () => {
    const c = await oneClient();
    const secret = `Private health note ${unique()}`;
    // A real database failure, confined to this CRM: its notes violate a check.
    const constraint = `no_notes_${unique().replaceAll('-', '_')}`;
    await sql`alter table notes add constraint ${sql.id(constraint)} check (crm_id <> ${sql.lit(c.crmId)})`.execute(
      server.db,
    );
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map(String).join(' '));
    try {
      const res = await c.http.put(`${c.base}/note`, { text: secret }, { 'if-match': '"0"' });
      assert.equal(res.status, 500, res.text);
      assert.equal(res.body.code, 'internal');
    } finally {
      console.error = original;
      await sql`alter table notes drop constraint ${sql.id(constraint)}`.execute(server.db);
    }
    const log = logged.join('\n');
    assert.match(
      log,
      /^500 \[[0-9a-f]{8}\] PUT \/v1\/crms\/:crmId\/clients\/:clientId\/note: \w+ 23514/,
    );
    for (const personal of [secret, c.email, c.user.email, c.user.token, c.crmId, c.clientId]) {
      assert.ok(!log.includes(personal), `the log holds ${personal}:\n${log}`);
    }
  });
});

describe('configuration', () => {
  test('CRM_AUTH_FAILURES_PER_MINUTE: a whole number, 0 turns the limit off', () => {
    assert.equal(configFromEnv({ CRM_AUTH_FAILURES_PER_MINUTE: '0' }).authFailuresPerMinute, 0);
    assert.equal(configFromEnv({ CRM_AUTH_FAILURES_PER_MINUTE: '20' }).authFailuresPerMinute, 20);
    assert.equal(configFromEnv({}).authFailuresPerMinute, undefined); // the app's default: 100
    assert.throws(() => configFromEnv({ CRM_AUTH_FAILURES_PER_MINUTE: 'many' }), StartupError);
  });
});

describe('slow clients and failed authentication (a server with short limits)', () => {
  let limited: TestServer;
  before(async () => {
    limited = await startTestServer({
      authFailuresPerMinute: 5,
      timeouts: { headersMs: 400, requestMs: 1200 },
    });
  });
  after(() => limited.close());

  /** Sends `parts` with `gapMs` between them; resolves with what came back and when. */
  const trickle = (parts: string[], gapMs: number) =>
    new Promise<{ reply: string; ms: number }>((resolve) => {
      const started = Date.now();
      const socket = connect(limited.port, '127.0.0.1');
      let reply = '';
      let i = 0;
      const timer = setInterval(() => {
        if (i < parts.length && !socket.destroyed) socket.write(parts[i++]!);
      }, gapMs);
      socket.on('data', (d) => (reply += d.toString()));
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(timer);
        resolve({ reply, ms: Date.now() - started });
      });
    });

  test('headers not complete in time: 408 and the connection closed', async () => {
    const { reply, ms } = await trickle(
      [
        'GET /healthz HTTP/1.1\r\n',
        'Host: x\r\n',
        'X-Slow: 1\r\n',
        'X-Slow: 2\r\n',
        'X-Slow: 3\r\n',
        'X-Slow: 4\r\n',
        'X-Slow: 5\r\n',
        'X-Slow: 6\r\n',
        'X-Slow: 7\r\n',
        '\r\n',
      ],
      150,
    );
    assert.match(reply, /^HTTP\/1\.1 408/);
    assert.ok(ms < 1500, `cut after ${ms} ms`);
  });

  test('a body trickling in past the request timeout: 408 and the connection closed', async () => {
    const head = `PUT /v1/platform/bookings/slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${limited.platform.platformToken}\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n`;
    const { reply, ms } = await trickle(
      [head, ...'{"crmId":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaa'.split('')],
      100,
    );
    assert.match(reply, /^HTTP\/1\.1 408/);
    assert.ok(ms >= 1100 && ms < 3500, `cut after ${ms} ms`);
  });

  test('past the limit of failed authentications, 429 with Retry-After for that IP only', async () => {
    const { user } = await limited.platform.mentor();
    const wrong = api(limited.url, 'mmcrm_not-a-token');
    for (let i = 0; i < 5; i++) assert.equal((await wrong.get('/v1/me')).status, 401);
    const blocked = await wrong.get('/v1/me');
    assert.equal(blocked.status, 429, blocked.text);
    assert.equal(blocked.body.code, 'rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    // A valid token from the same address gets no answer either (no oracle for guessers);
    // the platform's failed logins count too, and health checks still answer.
    assert.equal((await api(limited.url, user.token).get('/v1/me')).status, 429);
    assert.equal((await api(limited.url).get('/healthz')).status, 200);
    // Another address is not affected.
    const fromElsewhere = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${limited.url}/v1/me`,
        { localAddress: '127.0.0.2', headers: { authorization: `Bearer ${user.token}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.end();
    });
    assert.equal(fromElsewhere, 200);
  });
});
