/**
 * Sign-in for embedded pages (SPEC section 6), over real HTTP against the reference server on
 * the test run's database: the popup's pages driven as a browser would (cookies, forms, CSRF
 * tokens), the one-time code read from the outbox, the token endpoint as the element calls
 * it. The clock is the test's own (advanced by the tests), so that code, session and family
 * lifetimes can pass: the server code runs here over the shared database with that clock.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { serve } from '@hono/node-server';
import { createApp, type Db } from '../../demo/server/index.js';
import { Platform, TEST_NOW, TEST_PLATFORM_TOKEN, unique } from '../helpers/platform.js';
import { sharedServer } from './shared.js';

let db: Db;
let server: Server;
let base: string;
let p: Platform;
let now = Date.parse(TEST_NOW);
const advance = (ms: number) => (now += ms);

/** Every line the server process writes while these tests run. */
const logged: string[] = [];
const restore: (() => void)[] = [];

before(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      original.apply(console, args);
    };
    restore.push(() => (console[method] = original));
  }
  db = (await sharedServer()).db;
  const app = createApp({ db, clock: () => new Date(now), platformToken: TEST_PLATFORM_TOKEN });
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    ) as Server;
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  p = new Platform(base);
});

after(async () => {
  restore.forEach((r) => r());
  await new Promise<void>((r) => {
    server.close(() => r());
    server.closeAllConnections?.();
  });
});

const SITE = 'https://maya-yoga.example';
const ALL = 'crm:read crm:write crm:message crm:export';

/** A browser for the popup's pages: keeps the server's cookies, follows no redirect itself. */
class Popup {
  cookies = new Map<string, string>();
  setCookies: string[] = [];

  async request(method: string, path: string, form?: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form ?? {})) {
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    const res = await fetch(`${base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded', origin: base } : {}),
      },
      ...(form ? { body } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair] = line.split(';');
      const [k, v] = pair!.split('=');
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(k!);
      else this.cookies.set(k!, v!);
    }
    return { status: res.status, headers: res.headers, html: await res.text() };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  /** Submits the page's form posting to `action`, with `fields` over its hidden inputs. */
  async submit(page: string, action: string, fields: Record<string, string | string[]> = {}) {
    const form = formIn(page, action);
    const res = await this.request('POST', action, { ...form, ...fields });
    if (res.status === 303) return this.get(res.headers.get('location')!);
    return res;
  }
}

/** The hidden inputs of the form that posts to `action` on `page`. */
function formIn(page: string, action: string): Record<string, string> {
  const start = page.indexOf(`action="${action}"`);
  assert.ok(start >= 0, `no form posting to ${action} on the page:\n${page}`);
  const form = page.slice(start, page.indexOf('</form>', start));
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[m[1]!] = unescapeHtml(m[2]!);
  }
  return fields;
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** What the result page posts to `window.opener`, and to which origin. */
function posted(page: string) {
  const m = /var m=(\{.*?\}),t=("[^"]*");/.exec(page);
  assert.ok(m, `no postMessage on the page:\n${page}`);
  return {
    message: JSON.parse(m[1]!) as {
      type: string;
      response: { code?: string; state?: string; error?: string };
    },
    target: JSON.parse(m[2]!) as string,
  };
}

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

function authorizePath(opts: {
  clientId?: string;
  challenge: string;
  state?: string;
  scope?: string;
  crm?: string;
}) {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: opts.clientId ?? SITE,
    response_mode: 'web_message',
    scope: opts.scope ?? ALL,
    state: opts.state ?? 'st-1',
    code_challenge: opts.challenge,
    code_challenge_method: 'S256',
  });
  if (opts.crm) q.set('crm', opts.crm);
  return `/oauth/authorize?${q}`;
}

/** The newest sign-in code emailed to `email`. */
async function codeFor(email: string): Promise<string> {
  const items = (await p.outbox()).filter((i) => i.kind === 'sign_in_code' && i.to === email);
  const last = items.at(-1);
  assert.ok(last, `no sign-in code emailed to ${email}`);
  return /\b(\d{6})\b/.exec(last.subject)![1]!;
}

/** Signs in on the popup's pages by email code; returns the page after sign-in. */
async function signInByCode(popup: Popup, start: string, email: string) {
  const signIn = await popup.get(start);
  assert.match(signIn.html, /Email me a code/);
  const codePage = await popup.submit(signIn.html, '/oauth/authorize/email', { email });
  assert.match(codePage.html, /6-digit code/);
  return popup.submit(codePage.html, '/oauth/authorize/code', { code: await codeFor(email) });
}

/** The whole popup: sign in, tick `crms`, Allow. Returns the code and what was posted. */
async function authorize(
  user: { email: string },
  opts: { clientId?: string; crms: string[]; crm?: string; state?: string; popup?: Popup },
) {
  const popup = opts.popup ?? new Popup();
  const { verifier, challenge } = pkce();
  const consent = await signInByCode(popup, authorizePath({ challenge, ...opts }), user.email);
  assert.match(consent.html, /Allow this site/);
  const result = await popup.submit(consent.html, '/oauth/authorize/decision', {
    decision: 'allow',
    crm: opts.crms,
  });
  const { message, target } = posted(result.html);
  return { code: message.response.code!, message, target, verifier, popup };
}

async function token(form: Record<string, string>, origin: string | null = SITE) {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin ? { origin } : {}),
    },
    body: new URLSearchParams(form),
  });
  return {
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as Record<string, string>,
  };
}

const exchange = (
  code: string,
  verifier: string,
  clientId = SITE,
  origin: string | null = clientId,
) =>
  token(
    { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: clientId },
    origin,
  );

const refreshWith = (refresh: string, origin: string | null = SITE) =>
  token({ grant_type: 'refresh_token', refresh_token: refresh, client_id: origin ?? SITE }, origin);

async function get(path: string, accessToken: string, origin?: string) {
  const res = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${accessToken}`, ...(origin ? { origin } : {}) },
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** A mentor who also teaches at a studio: two CRMs, one booking in each. */
async function mentor() {
  const { user, crmId } = await p.mentor('Maya Mentor');
  const studio = await p.studio(0);
  await p.addMember(studio.crmId, user.id);
  await p.booking(crmId, user.id, { email: `${unique()}@example.test` });
  return { user, crmId, studioCrm: studio.crmId };
}

/** Signed in for SITE with the mentor's own CRM: the token set. */
async function signedIn() {
  const m = await mentor();
  const a = await authorize(m.user, { crms: [m.crmId] });
  const t = await exchange(a.code, a.verifier);
  assert.equal(t.status, 200, JSON.stringify(t.body));
  return { ...m, ...a, tokens: t.body };
}

describe('metadata', () => {
  test('RFC 8414 metadata names the endpoints, S256 only and the web_message response mode', async () => {
    const res = await fetch(`${base}/.well-known/oauth-authorization-server`);
    const meta = (await res.json()) as Record<string, unknown>;
    assert.equal(meta.issuer, base);
    assert.equal(meta.authorization_endpoint, `${base}/oauth/authorize`);
    assert.equal(meta.token_endpoint, `${base}/oauth/token`);
    assert.equal(meta.revocation_endpoint, `${base}/oauth/revoke`);
    assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(meta.response_modes_supported, ['web_message']);
    assert.deepEqual(meta.grant_types_supported, ['authorization_code', 'refresh_token']);
  });
});

describe('the popup', () => {
  test('a full sign-in: the code is posted to the site origin with the state echoed, and the token reads the CRM', async () => {
    const m = await mentor();
    const a = await authorize(m.user, { crms: [m.crmId], state: 'state-Ω-42' });
    assert.equal(a.target, SITE);
    assert.equal(a.message.type, 'authorization_response');
    assert.equal(a.message.response.state, 'state-Ω-42');
    const t = await exchange(a.code, a.verifier);
    assert.equal(t.status, 200);
    assert.equal(t.body.token_type, 'Bearer');
    assert.equal(Number(t.body.expires_in), 900);
    assert.equal(t.headers.get('cache-control'), 'no-store');
    assert.equal(t.headers.get('access-control-allow-origin'), SITE);
    const me = await get('/v1/me', t.body.access_token!, SITE);
    assert.equal(me.status, 200);
    assert.equal(me.body.user.id, m.user.id);
  });

  test('an approval covers only the CRMs ticked: /v1/me lists them, the others are 404', async () => {
    const s = await signedIn();
    const me = await get('/v1/me', s.tokens.access_token!, SITE);
    assert.deepEqual(
      me.body.crms.map((k: { id: string }) => k.id),
      [s.crmId],
    );
    assert.equal(
      (await get(`/v1/crms/${s.crmId}/clients`, s.tokens.access_token!, SITE)).status,
      200,
    );
    const other = await get(`/v1/crms/${s.studioCrm}/clients`, s.tokens.access_token!, SITE);
    assert.equal(other.status, 404);
    assert.equal(other.body.code, 'not_found');
  });

  test('the consent page shows the origin, the CRMs as checkboxes (the asked one ticked) and each scope in words', async () => {
    const m = await mentor();
    const popup = new Popup();
    const consent = await signInByCode(
      popup,
      authorizePath({ challenge: pkce().challenge, crm: m.studioCrm }),
      m.user.email,
    );
    assert.match(consent.html, /<p class="origin" id="origin">https:\/\/maya-yoga\.example<\/p>/);
    assert.match(consent.html, /Every page at this address shares this permission/);
    assert.match(consent.html, new RegExp(`value="${m.studioCrm}"\\s*checked`));
    assert.match(consent.html, new RegExp(`value="${m.crmId}"\\s*/>`));
    assert.match(consent.html, /Email your clients in your name/);
    assert.match(consent.html, /Download your client list as a spreadsheet/);
    assert.match(consent.html, />Allow</);
    assert.match(consent.html, />Deny</);
    // Without a crm and with two CRMs, nothing is ticked: the user chooses.
    const again = await popup.get(authorizePath({ challenge: pkce().challenge }));
    assert.doesNotMatch(again.html, /checked/);
    // Allow with nothing ticked is refused on the page.
    const none = await popup.submit(again.html, '/oauth/authorize/decision', { decision: 'allow' });
    assert.equal(none.status, 400);
    assert.match(none.html, /Tick at least one client book/);
  });

  test('Deny posts access_denied with the state to the site', async () => {
    const m = await mentor();
    const popup = new Popup();
    const consent = await signInByCode(
      popup,
      authorizePath({ challenge: pkce().challenge, state: 'deny-me' }),
      m.user.email,
    );
    const result = await popup.submit(consent.html, '/oauth/authorize/decision', {
      decision: 'deny',
    });
    const { message, target } = posted(result.html);
    assert.equal(target, SITE);
    assert.deepEqual(message.response, { error: 'access_denied', state: 'deny-me' });
  });

  test('a remembered approval still asks for a click: "Continue as NAME" or "Use another account"', async () => {
    const m = await mentor();
    const first = await authorize(m.user, { crms: [m.crmId] });
    const { challenge } = pkce();
    const page = await first.popup.get(authorizePath({ challenge, crm: m.crmId }));
    assert.match(page.html, /Continue as Maya Mentor/);
    assert.match(page.html, /Use another account/);
    assert.doesNotMatch(page.html, /type="checkbox"/);
    const result = await first.popup.submit(page.html, '/oauth/authorize/decision', {
      decision: 'allow',
    });
    assert.ok(posted(result.html).message.response.code);
    // Asking for a CRM the approval does not cover shows the consent page again.
    const wider = await first.popup.get(authorizePath({ challenge, crm: m.studioCrm }));
    assert.match(wider.html, /Allow this site/);
    // "Use another account" ends the session: the sign-in page again.
    const switched = await first.popup.submit(page.html, '/oauth/authorize/switch');
    assert.match(switched.html, /Email me a code/);
  });

  test('the session cookie is HttpOnly, SameSite=Lax, 14 days, not Secure on loopback', async () => {
    const m = await mentor();
    const a = await authorize(m.user, { crms: [m.crmId] });
    const cookie = a.popup.setCookies.find((c) => c.startsWith('mm_session='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Max-Age=1209600/);
    assert.doesNotMatch(cookie, /Secure/);
  });

  test('pages cannot be framed, allow only their own nonce script, and forms without the CSRF token are refused', async () => {
    const popup = new Popup();
    const page = await popup.get(authorizePath({ challenge: pkce().challenge }));
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[^']+'/);
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const form = formIn(page.html, '/oauth/authorize/email');
    const forged = await popup.request('POST', '/oauth/authorize/email', {
      ...form,
      csrf: 'x'.repeat(32),
      email: 'a@example.test',
    });
    assert.equal(forged.status, 403);
    // From another site's page, even with the token, the form is refused.
    const crossSite = await fetch(`${base}/oauth/authorize/email`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
        cookie: [...popup.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
      body: new URLSearchParams({ ...form, email: 'a@example.test' }),
    });
    assert.equal(crossSite.status, 403);
  });

  test('a client_id that is not an exact https or loopback origin is refused on the page, never posted', async () => {
    for (const clientId of [
      'null',
      '*',
      'http://maya-yoga.example',
      'https://maya-yoga.example/',
      'https://maya-yoga.example/path',
      'javascript:alert(1)',
    ]) {
      const page = await new Popup().get(authorizePath({ challenge: pkce().challenge, clientId }));
      assert.equal(page.status, 400, clientId);
      assert.match(page.html, /did not give a valid address/);
      assert.doesNotMatch(page.html, /postMessage/);
    }
    const loopback = await new Popup().get(
      authorizePath({ challenge: pkce().challenge, clientId: 'http://localhost:5173' }),
    );
    assert.equal(loopback.status, 200);
  });

  test('a bad request from a valid client is posted back as an error with the state', async () => {
    const page = await new Popup().get(
      authorizePath({ challenge: 'short', state: 'st-bad' }).replace('S256', 'plain'),
    );
    const { message, target } = posted(page.html);
    assert.equal(target, SITE);
    assert.equal(message.response.error, 'invalid_request');
    assert.equal(message.response.state, 'st-bad');
  });
});

describe('the dev server', () => {
  test('"Sign in as a demo user" is offered only when configured, and both forms carry the one CSRF token set', async () => {
    const demoApp = createApp({
      db,
      clock: () => new Date(now),
      demoSignIn: [{ userId: 'usr_x', name: 'Demo Person', email: 'demo@example.test' }],
    });
    const path = authorizePath({ challenge: pkce().challenge });
    const res = await demoApp.fetch(new Request(`${base}${path}`));
    const page = await res.text();
    assert.match(page, /Sign in as a demo user: Demo Person/);
    const cookies = res.headers.getSetCookie().filter((c) => c.startsWith('mm_csrf='));
    assert.equal(cookies.length, 1);
    const token = cookies[0]!.split(';')[0]!.slice('mm_csrf='.length);
    assert.equal(formIn(page, '/oauth/authorize/email').csrf, token);
    assert.equal(formIn(page, '/oauth/authorize/demo').csrf, token);
    // The test server (no demo users) offers none.
    assert.doesNotMatch((await new Popup().get(path)).html, /demo user/);
  });
});

describe('one-time codes', () => {
  test('the code page says the same for an unknown email, and no code is emailed to it', async () => {
    const start = authorizePath({ challenge: pkce().challenge });
    const known = await p.user('Known User');
    const pages: string[] = [];
    for (const email of [known.email, `nobody-${unique()}@example.test`]) {
      const popup = new Popup();
      const signIn = await popup.get(start);
      const page = await popup.submit(signIn.html, '/oauth/authorize/email', { email });
      pages.push(
        page.html
          .replaceAll(email, 'EMAIL')
          .replace(/value="[\w-]{32,}"/g, 'value="CSRF"')
          .replace(/nonce="[^"]+"/g, ''),
      );
    }
    assert.equal(pages[0], pages[1]);
    const outbox = await p.outbox();
    assert.equal(outbox.filter((i) => i.to === known.email).length, 1);
  });

  test('five wrong tries end a code: even the right one is refused after them', async () => {
    const user = await p.user('Brute Force');
    const popup = new Popup();
    const signIn = await popup.get(authorizePath({ challenge: pkce().challenge }));
    let page = await popup.submit(signIn.html, '/oauth/authorize/email', { email: user.email });
    const right = await codeFor(user.email);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 4; i >= 1; i--) {
      page = await popup.submit(page.html, '/oauth/authorize/code', { code: wrong });
      assert.match(page.html, new RegExp(`${i} tr(y|ies) left`));
    }
    page = await popup.submit(page.html, '/oauth/authorize/code', { code: wrong });
    assert.match(page.html, /no longer works/);
    const codeForm = formIn(
      (await popup.submit(signIn.html, '/oauth/authorize/email', { email: user.email })).html,
      '/oauth/authorize/code',
    );
    // The old code, tried against the new one: refused.
    const late = await popup.request('POST', '/oauth/authorize/code', { ...codeForm, code: right });
    assert.match(late.html, /not right/);
  });

  test('a code lasts 10 minutes', async () => {
    const user = await p.user('Slow Reader');
    const popup = new Popup();
    const signIn = await popup.get(authorizePath({ challenge: pkce().challenge }));
    const page = await popup.submit(signIn.html, '/oauth/authorize/email', { email: user.email });
    advance(10 * 60_000 + 1000);
    const late = await popup.submit(page.html, '/oauth/authorize/code', {
      code: await codeFor(user.email),
    });
    assert.match(late.html, /no longer works/);
  });

  test('at most 5 codes per email an hour, then again after the hour', async () => {
    const user = await p.user('Impatient');
    const popup = new Popup();
    const signIn = await popup.get(authorizePath({ challenge: pkce().challenge }));
    for (let i = 0; i < 5; i++) {
      const page = await popup.submit(signIn.html, '/oauth/authorize/email', { email: user.email });
      assert.match(page.html, /Check your email/);
    }
    const sixth = await popup.submit(signIn.html, '/oauth/authorize/email', { email: user.email });
    assert.match(sixth.html, /Too many codes/);
    assert.equal((await p.outbox()).filter((i) => i.to === user.email).length, 5);
    advance(61 * 60_000);
    const later = await popup.submit(signIn.html, '/oauth/authorize/email', { email: user.email });
    assert.match(later.html, /Check your email/);
  });

  test('at most 30 codes per IP an hour, whatever the emails', async () => {
    advance(61 * 60_000); // the earlier tests' codes from this IP are over an hour old
    const popup = new Popup();
    const signIn = await popup.get(authorizePath({ challenge: pkce().challenge }));
    for (let i = 0; i < 30; i++) {
      const page = await popup.submit(signIn.html, '/oauth/authorize/email', {
        email: `spray-${i}-${unique()}@example.test`,
      });
      assert.match(page.html, /Check your email/, `code ${i + 1}`);
    }
    const over = await popup.submit(signIn.html, '/oauth/authorize/email', {
      email: `spray-last-${unique()}@example.test`,
    });
    assert.match(over.html, /Too many codes/);
    advance(61 * 60_000);
  });
});

describe('the token endpoint', () => {
  test('a PKCE verifier that does not match the challenge is invalid_grant', async () => {
    const m = await mentor();
    const a = await authorize(m.user, { crms: [m.crmId] });
    const t = await exchange(a.code, pkce().verifier);
    assert.equal(t.status, 400);
    assert.equal(t.body.error, 'invalid_grant');
    // A failed attempt does not spend the code: the site's own exchange still works.
    assert.equal((await exchange(a.code, a.verifier)).status, 200);
  });

  test('a code used twice is invalid_grant, and the tokens it gave are revoked', async () => {
    const s = await signedIn();
    const again = await exchange(s.code, s.verifier);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.equal((await get('/v1/me', s.tokens.access_token!, SITE)).status, 401);
    assert.equal((await refreshWith(s.tokens.refresh_token!)).body.error, 'invalid_grant');
  });

  test('a code older than 60 seconds is invalid_grant', async () => {
    const m = await mentor();
    const a = await authorize(m.user, { crms: [m.crmId] });
    advance(61_000);
    const t = await exchange(a.code, a.verifier);
    assert.equal(t.body.error, 'invalid_grant');
  });

  test('a code sent with another client_id is invalid_client; from another Origin too', async () => {
    const m = await mentor();
    const a = await authorize(m.user, { crms: [m.crmId] });
    const other = await exchange(a.code, a.verifier, 'https://evil.example');
    assert.equal(other.body.error, 'invalid_client');
    const wrongOrigin = await exchange(a.code, a.verifier, SITE, 'https://evil.example');
    assert.equal(wrongOrigin.body.error, 'invalid_client');
  });

  test('refresh tokens rotate; the old one used again revokes the family, access tokens included', async () => {
    const s = await signedIn();
    const r1 = await refreshWith(s.tokens.refresh_token!);
    assert.equal(r1.status, 200);
    assert.notEqual(r1.body.refresh_token, s.tokens.refresh_token);
    assert.equal((await get('/v1/me', r1.body.access_token!, SITE)).status, 200);
    const reuse = await refreshWith(s.tokens.refresh_token!);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.equal((await get('/v1/me', r1.body.access_token!, SITE)).status, 401);
    assert.equal((await get('/v1/me', s.tokens.access_token!, SITE)).status, 401);
    assert.equal((await refreshWith(r1.body.refresh_token!)).body.error, 'invalid_grant');
  });

  test('a refresh must come with the family origin', async () => {
    const s = await signedIn();
    const form = {
      grant_type: 'refresh_token',
      refresh_token: s.tokens.refresh_token!,
      client_id: SITE,
    };
    const fromElsewhere = await token(form, 'https://evil.example');
    assert.equal(fromElsewhere.status, 400);
    assert.equal(fromElsewhere.body.error, 'invalid_grant');
    assert.equal((await token(form, null)).body.error, 'invalid_grant');
    assert.equal((await refreshWith(s.tokens.refresh_token!)).status, 200);
  });

  test('access tokens last 15 minutes; a family lasts 8 hours from its code', async () => {
    const s = await signedIn();
    advance(15 * 60_000);
    assert.equal((await get('/v1/me', s.tokens.access_token!, SITE)).status, 401);
    let refresh = s.tokens.refresh_token!;
    for (let i = 0; i < 31; i++) {
      const r = await refreshWith(refresh);
      assert.equal(r.status, 200, `refresh ${i}`);
      refresh = r.body.refresh_token!;
      advance(15 * 60_000);
    }
    // 7 h 45 min + 15 min: the family is over.
    const over = await refreshWith(refresh);
    assert.equal(over.body.error, 'invalid_grant');
  });

  test('errors are RFC 6749 JSON: an unknown grant, a missing parameter, JSON instead of a form', async () => {
    assert.equal((await token({ grant_type: 'password' })).body.error, 'unsupported_grant_type');
    assert.equal((await token({ grant_type: 'authorization_code' })).body.error, 'invalid_request');
    const json = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: SITE },
      body: '{}',
    });
    assert.equal(json.status, 400);
    assert.equal(((await json.json()) as { error: string }).error, 'invalid_request');
  });
});

describe('tokens bound to their origin', () => {
  test('a token sent from another Origin is 401; a server-side call (no Origin) is not', async () => {
    const s = await signedIn();
    const bad = await get('/v1/me', s.tokens.access_token!, 'https://evil.example');
    assert.equal(bad.status, 401);
    assert.equal(bad.body.code, 'unauthenticated');
    assert.equal((await get('/v1/me', s.tokens.access_token!)).status, 200);
  });

  test('CORS is granted to an origin while an approval for it is live, and not after it is revoked', async () => {
    const site = `https://site-${unique()}.example`;
    const m = await mentor();
    const preflight = () =>
      fetch(`${base}/v1/me`, {
        method: 'OPTIONS',
        headers: { origin: site, 'access-control-request-method': 'GET' },
      });
    assert.equal((await preflight()).headers.get('access-control-allow-origin'), null);
    const a = await authorize(m.user, { clientId: site, crms: [m.crmId] });
    const t = await exchange(a.code, a.verifier, site);
    assert.equal((await preflight()).headers.get('access-control-allow-origin'), site);
    const me = await get('/v1/me', t.body.access_token!, site);
    assert.equal(me.headers.get('access-control-allow-origin'), site);

    const list = await get('/v1/me/authorizations', t.body.access_token!, site);
    assert.equal(list.body.items.length, 1);
    const approval = list.body.items[0];
    assert.equal(approval.origin, site);
    assert.deepEqual(approval.scopes, ALL.split(' '));
    assert.deepEqual(approval.crms, [{ id: m.crmId, name: "Maya Mentor's clients" }]);

    const del = await fetch(`${base}/v1/me/authorizations/${approval.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${m.user.token}` },
    });
    assert.equal(del.status, 204);
    const after = await get('/v1/me', t.body.access_token!, site);
    assert.equal(after.status, 401);
    assert.equal(after.headers.get('access-control-allow-origin'), null);
    assert.equal((await preflight()).headers.get('access-control-allow-origin'), null);
    assert.equal((await refreshWith(t.body.refresh_token!, site)).body.error, 'invalid_grant');
  });

  test('a site token lists only its own approval and cannot revoke another site’s', async () => {
    const m = await mentor();
    const a1 = await authorize(m.user, { crms: [m.crmId] });
    const t1 = await exchange(a1.code, a1.verifier);
    const other = 'https://other-site.example';
    const a2 = await authorize(m.user, { clientId: other, crms: [m.crmId] });
    const t2 = await exchange(a2.code, a2.verifier, other);
    const mine = await get('/v1/me/authorizations', t1.body.access_token!, SITE);
    assert.deepEqual(
      mine.body.items.map((i: { origin: string }) => i.origin),
      [SITE],
    );
    const all = await get('/v1/me/authorizations', m.user.token);
    assert.equal(all.body.items.length, 2);
    const otherId = all.body.items.find((i: { origin: string }) => i.origin === other).id;
    const res = await fetch(`${base}/v1/me/authorizations/${otherId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${t1.body.access_token}`, origin: SITE },
    });
    assert.equal(res.status, 404);
    assert.equal((await get('/v1/me', t2.body.access_token!, other)).status, 200);
  });

  test('revoking the refresh token (sign out) ends its access tokens too', async () => {
    const s = await signedIn();
    const res = await fetch(`${base}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: SITE },
      body: new URLSearchParams({ token: s.tokens.refresh_token!, client_id: SITE }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), SITE);
    assert.equal((await get('/v1/me', s.tokens.access_token!, SITE)).status, 401);
    assert.equal((await refreshWith(s.tokens.refresh_token!)).body.error, 'invalid_grant');
    // The approval itself stays: the next sign-in is "Continue as".
    const page = await s.popup.get(authorizePath({ challenge: pkce().challenge }));
    assert.match(page.html, /Continue as/);
  });
});

describe('logs', () => {
  test('nothing about codes, tokens or emails reached the log', async () => {
    const s = await signedIn();
    const text = logged.join('\n');
    const code = await codeFor(s.user.email);
    for (const secret of [
      code,
      s.user.email,
      s.tokens.access_token!,
      s.tokens.refresh_token!,
      s.code,
      'sign-in code',
    ]) {
      assert.ok(!text.includes(secret), `the log contains ${secret.slice(0, 12)}…`);
    }
  });
});
