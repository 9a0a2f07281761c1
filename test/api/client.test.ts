/**
 * The API client against a real HTTP server: a small node:http server made in the test, whose
 * answers each test scripts, so that faults the reference server never makes on its own (a
 * 503, a response off the contract, a token that expires between two calls) can be made.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CrmClient } from '../../src/api/client.js';
import { CrmApiError } from '../../src/api/errors.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  ifMatch: string | undefined;
  body: string;
}

type Handler = (req: Seen, res: ServerResponse, n: number) => void;

let handler: Handler;
let seen: Seen[] = [];
let base = '';
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const s: Seen = {
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      ifMatch: req.headers['if-match'] as string | undefined,
      body,
    };
    seen.push(s);
    handler(s, res, seen.length);
  });
});

const json = (res: ServerResponse, status: number, body: unknown, type = 'application/json') => {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
};
const problem = (res: ServerResponse, status: number, code: string, extra: object = {}) =>
  json(
    res,
    status,
    { title: code, status, code, detail: `detail of ${code}`, ...extra },
    'application/problem+json',
  );

const note = {
  text: 'Low-back issue',
  version: 3,
  updatedAt: '2026-06-01T10:00:00.000Z',
  updatedBy: { id: 'u1', name: 'Maya' },
};
const me = {
  user: { id: 'u1', name: 'Maya', email: 'maya@example.test' },
  crms: [
    { id: 'c1', kind: 'mentor', name: 'Maya', role: 'owner', currency: 'USD', timeZone: 'UTC' },
  ],
};

const client = (extra: Partial<ConstructorParameters<typeof CrmClient>[0]> = {}) =>
  new CrmClient({ apiBase: base, token: 'tok-1', retryDelay: () => 10, ...extra });

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
});

describe('CrmClient', () => {
  it('sends the bearer token and parses a valid response', async () => {
    handler = (_req, res) => json(res, 200, me);
    const result = await client().me();
    assert.equal(result.user.name, 'Maya');
    assert.equal(seen[0]!.authorization, 'Bearer tok-1');
    assert.equal(seen[0]!.url, '/v1/me');
  });

  it('sends repeatable list filters as repeated query parameters', async () => {
    handler = (_req, res) =>
      json(res, 200, { items: [], nextCursor: null, total: 0, totalCapped: false });
    await client().listClients('c 1', { status: ['regular', 'lapsed'], tag: ['Injury'], q: 'ann' });
    const url = new URL(seen[0]!.url, base);
    assert.equal(url.pathname, '/v1/crms/c%201/clients');
    assert.deepEqual(url.searchParams.getAll('status'), ['regular', 'lapsed']);
    assert.deepEqual(url.searchParams.getAll('tag'), ['Injury']);
    assert.equal(url.searchParams.get('q'), 'ann');
  });

  it('asks getToken once more after a 401 and repeats the request with the new token', async () => {
    let calls = 0;
    const getToken = async () => `tok-${++calls}`;
    handler = (req, res) =>
      req.authorization === 'Bearer tok-2'
        ? json(res, 200, me)
        : problem(res, 401, 'unauthenticated');
    let authRequired = 0;
    const result = await client({
      token: null,
      getToken,
      onAuthRequired: () => authRequired++,
    }).me();
    assert.equal(result.user.id, 'u1');
    assert.equal(calls, 2);
    assert.deepEqual(
      seen.map((s) => s.authorization),
      ['Bearer tok-1', 'Bearer tok-2'],
    );
    assert.equal(authRequired, 0);
  });

  it('caches the token from getToken between requests', async () => {
    let calls = 0;
    handler = (_req, res) => json(res, 200, me);
    const c = client({ token: null, getToken: () => `tok-${++calls}` });
    await c.me();
    await c.me();
    assert.equal(calls, 1);
  });

  it('reports auth required when the refreshed token is refused too', async () => {
    let calls = 0;
    handler = (_req, res) => problem(res, 401, 'unauthenticated');
    let authRequired = 0;
    const c = client({
      token: null,
      getToken: () => `tok-${++calls}`,
      onAuthRequired: () => authRequired++,
    });
    await assert.rejects(
      c.me(),
      (e: unknown) => e instanceof CrmApiError && e.code === 'unauthenticated' && e.status === 401,
    );
    assert.equal(calls, 2, 'getToken is called once more, not in a loop');
    assert.equal(seen.length, 2);
    assert.equal(authRequired, 1);
  });

  it('sends no request without a token', async () => {
    handler = (_req, res) => json(res, 200, me);
    await assert.rejects(
      client({ token: null }).me(),
      (e: unknown) => e instanceof CrmApiError && e.code === 'no_token',
    );
    assert.equal(seen.length, 0);
  });

  it('turns problem details into a typed error with code, status, detail and field errors', async () => {
    handler = (_req, res) =>
      problem(res, 400, 'invalid_request', {
        errors: [{ path: 'tags.0', message: 'Must be at most 40 characters' }],
      });
    await assert.rejects(client().putTags('c1', 'k1', ['x'.repeat(41)]), (e: unknown) => {
      assert.ok(e instanceof CrmApiError);
      assert.equal(e.code, 'invalid_request');
      assert.equal(e.status, 400);
      assert.equal(e.detail, 'detail of invalid_request');
      assert.deepEqual(e.fieldErrors, [
        { path: 'tags.0', message: 'Must be at most 40 characters' },
      ]);
      return true;
    });
  });

  it('carries the current note of a 412 version conflict', async () => {
    handler = (_req, res) => problem(res, 412, 'version_conflict', { current: note });
    await assert.rejects(client().putNote('c1', 'k1', 'mine', 2), (e: unknown) => {
      assert.ok(e instanceof CrmApiError);
      assert.equal(e.code, 'version_conflict');
      assert.equal(e.currentNote?.text, 'Low-back issue');
      return true;
    });
    assert.equal(seen[0]!.ifMatch, '"2"');
    assert.equal(JSON.parse(seen[0]!.body).text, 'mine');
  });

  it('turns a response that does not match the schema into a typed error, not a crash', async () => {
    handler = (_req, res) => json(res, 200, { text: 42, version: 'three' });
    await assert.rejects(client().getNote('c1', 'k1'), (e: unknown) => {
      assert.ok(e instanceof CrmApiError);
      assert.equal(e.code, 'invalid_response');
      assert.match(e.detail, /does not match the contract/);
      assert.match(e.detail, /text/);
      return true;
    });
  });

  it('turns a body that is not JSON into a typed error', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy</html>');
    };
    await assert.rejects(
      client().me(),
      (e: unknown) => e instanceof CrmApiError && e.code === 'invalid_response',
    );
  });

  it('retries a GET on 503 and succeeds', async () => {
    handler = (_req, res, n) => (n < 3 ? problem(res, 503, 'internal') : json(res, 200, me));
    const result = await client().me();
    assert.equal(result.user.id, 'u1');
    assert.equal(seen.length, 3);
  });

  it('never retries a POST', async () => {
    handler = (_req, res) => problem(res, 503, 'internal');
    await assert.rejects(
      client().sendMessage('c1', 'k1', { subject: 'Hi', body: 'Hello' }),
      (e: unknown) => e instanceof CrmApiError && e.status === 503,
    );
    assert.equal(seen.length, 1);
  });

  it('gives up after the retry limit with the last error', async () => {
    handler = (_req, res) => problem(res, 503, 'internal');
    await assert.rejects(
      client({ retry: 1 }).me(),
      (e: unknown) => e instanceof CrmApiError && e.status === 503,
    );
    assert.equal(seen.length, 2);
  });

  it('waits what a 429 says in Retry-After, then retries', async () => {
    const at: number[] = [];
    handler = (_req, res, n) => {
      at.push(Date.now());
      if (n > 1) return json(res, 200, me);
      res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '1' });
      res.end(JSON.stringify({ title: 'rate_limited', status: 429, code: 'rate_limited' }));
    };
    // Retry-After wins over the client's own delay (10 ms here).
    assert.equal((await client().me()).user.id, 'u1');
    assert.equal(seen.length, 2);
    assert.ok(at[1]! - at[0]! >= 900, `retried after ${at[1]! - at[0]!} ms`);
  });

  it('does not retry a 413 without Retry-After, nor a timeout', async () => {
    handler = (_req, res) => problem(res, 413, 'invalid_request');
    await assert.rejects(
      client().me(),
      (e: unknown) => e instanceof CrmApiError && e.status === 413,
    );
    assert.equal(seen.length, 1);
    seen = [];
    handler = () => {
      /* never answers */
    };
    await assert.rejects(
      client({ timeout: 100 }).me(),
      (e: unknown) => e instanceof CrmApiError && e.code === 'timeout',
    );
    assert.equal(seen.length, 1);
  });

  it('retries a GET after a dropped connection', async () => {
    handler = (_req, res, n) => (n < 2 ? res.socket!.destroy() : json(res, 200, me));
    assert.equal((await client().me()).user.id, 'u1');
    assert.equal(seen.length, 2);
  });

  it('reports an HTTP error without problem details as http_error', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('nope');
    };
    await assert.rejects(
      client().me(),
      (e: unknown) => e instanceof CrmApiError && e.code === 'http_error' && e.status === 404,
    );
  });

  it('reports a server that cannot be reached as a network error', async () => {
    const c = new CrmClient({ apiBase: 'http://127.0.0.1:9', token: 't', retry: 0 });
    await assert.rejects(
      c.me(),
      (e: unknown) => e instanceof CrmApiError && e.code === 'network_error' && e.isNetwork,
    );
  });

  it('times out a request that does not answer', async () => {
    handler = () => {
      /* never answers */
    };
    await assert.rejects(
      client({ timeout: 100, retry: 0 }).me(),
      (e: unknown) => e instanceof CrmApiError && e.code === 'timeout',
    );
  });

  it('aborts with the caller’s signal, as an AbortError', async () => {
    handler = () => {
      /* never answers */
    };
    const controller = new AbortController();
    const pending = client().me({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(pending, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });

  it('downloads the CSV export without paging parameters', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('name,email\n');
    };
    const blob = await client().exportClientsCsv('c1', {
      status: ['lapsed'],
      cursor: 'abc',
      limit: 10,
    });
    assert.equal(await blob.text(), 'name,email\n');
    const url = new URL(seen[0]!.url, base);
    assert.equal(url.pathname, '/v1/crms/c1/clients/export.csv');
    assert.equal(url.searchParams.get('cursor'), null);
    assert.deepEqual(url.searchParams.getAll('status'), ['lapsed']);
  });
});
