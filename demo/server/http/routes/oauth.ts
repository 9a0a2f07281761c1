/**
 * The reference server as the authorization server of embedded pages (SPEC section 6), a
 * Hono sub-app mounted at the root:
 *
 * - `GET /.well-known/oauth-authorization-server`: RFC 8414 metadata.
 * - `GET /oauth/authorize` and its forms (`/oauth/authorize/*`): the popup's pages: sign-in by
 *   a one-time email code, consent (or "Continue as NAME"), and the result page that posts
 *   the response to `window.opener` with target origin = `client_id` (web_message).
 * - `POST /oauth/token`: `authorization_code` (S256 PKCE) and `refresh_token` grants.
 * - `POST /oauth/revoke`: RFC 7009.
 * - `GET /v1/me/authorizations`, `DELETE /v1/me/authorizations/{id}`.
 *
 * Pages: CSP with a nonce and `frame-ancestors 'none'`, a CSRF token (double-submit cookie)
 * on every form, `Cache-Control: no-store`. Nothing here logs: no code, token or email
 * reaches a log line.
 */
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Scope } from '../../../../src/api/schemas.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../domain/context.js';
import {
  approve,
  checkLoginCode,
  clientOrigin,
  createSession,
  endSession,
  exchangeCode,
  isLoopbackHost,
  issueCode,
  listApprovals,
  liveApproval,
  OAuthError,
  refresh,
  requestLoginCode,
  revokeApproval,
  revokeToken,
  SCOPE_WORDS,
  SCOPES,
  SESSION_TTL,
  sessionUser,
  userCrms,
  type Approval,
  type CrmChoice,
  type SessionUser,
  type TokenSet,
} from '../../domain/oauth.js';
import { authenticate } from '../auth.js';
import { clientIp } from '../client-ip.js';
import { document, html, scriptJson, type Page } from '../pages/oauth-pages.js';
import { ApiError, notFound } from '../problem.js';

/** A demo user the dev server offers on the sign-in page ("Sign in as a demo user"). */
export interface DemoSignInUser {
  userId: string;
  name: string;
  email: string;
}

export interface OAuthOptions {
  db: Db;
  clock: () => Date;
  /** Only `npm start` (the dev server) sets this: one-click sign-in as these users. */
  demoUsers?: readonly DemoSignInUser[] | undefined;
}

const SESSION_COOKIE = 'mm_session';
const CSRF_COOKIE = 'mm_csrf';

/** A valid authorization request (`GET /oauth/authorize`'s query). */
interface AuthRequest {
  clientId: string;
  state: string | undefined;
  challenge: string;
  scopes: Scope[];
  crm: string | undefined;
  /** The query string, carried through the forms. */
  query: string;
}

type Parsed =
  | { ok: true; request: AuthRequest }
  /** No client to answer: shown on the page, never posted. */
  | { ok: false; client: null; message: string }
  /** A client to answer with an error (web_message). */
  | { ok: false; client: string; state: string | undefined; error: string; message: string };

/** Validates an authorization request; the client_id first, since errors are posted to it. */
export function parseAuthRequest(query: string): Parsed {
  const q = new URLSearchParams(query);
  const one = (k: string) => (q.getAll(k).length > 1 ? null : (q.get(k) ?? undefined));
  const rawClient = one('client_id');
  const client = clientOrigin(rawClient);
  if (!client) {
    return {
      ok: false,
      client: null,
      message: rawClient
        ? 'The site asking to sign in did not give a valid address (client_id): it must be an exact https origin such as https://maya-yoga.example, or http://localhost.'
        : 'The site asking to sign in did not say who it is (client_id is missing).',
    };
  }
  const state = one('state');
  const fail = (error: string, message: string): Parsed => ({
    ok: false,
    client,
    state: state ?? undefined,
    error,
    message,
  });
  if (state === null || (state !== undefined && state.length > 500)) {
    return fail('invalid_request', 'The state parameter is not valid.');
  }
  if (one('response_type') !== 'code') {
    return fail('unsupported_response_type', 'Only response_type=code is supported.');
  }
  if (one('response_mode') !== 'web_message') {
    return fail('invalid_request', 'Only response_mode=web_message is supported.');
  }
  const challenge = one('code_challenge');
  if (one('code_challenge_method') !== 'S256' || !challenge || !/^[\w-]{43}$/.test(challenge)) {
    return fail('invalid_request', 'A code_challenge with code_challenge_method=S256 is required.');
  }
  const scopeText = one('scope');
  if (scopeText === null) return fail('invalid_scope', 'Give the scope once.');
  const asked = (scopeText ?? 'crm:read').split(' ').filter(Boolean);
  if (!asked.length || asked.some((s) => !(SCOPES as readonly string[]).includes(s))) {
    return fail('invalid_scope', `Scopes are ${SCOPES.join(', ')}.`);
  }
  const crm = one('crm');
  if (crm === null || (crm !== undefined && crm.length > 100)) {
    return fail('invalid_request', 'The crm parameter is not valid.');
  }
  const scopes = SCOPES.filter((s) => asked.includes(s));
  return { ok: true, request: { clientId: client, state, challenge, scopes, crm, query } };
}

export function oauthRoutes(options: OAuthOptions): Hono {
  const { db, clock } = options;
  const demoUsers = options.demoUsers ?? [];
  const app = new Hono();

  app.use(
    '/oauth/*',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: (c) => c.text('The request is too large', 413),
    }),
  );

  // -------------------------------------------------------------------------------------
  // Metadata
  // -------------------------------------------------------------------------------------

  app.get('/.well-known/oauth-authorization-server', (c) => {
    const issuer = new URL(c.req.url).origin;
    c.header('access-control-allow-origin', '*');
    c.header('cache-control', 'public, max-age=3600');
    return c.json({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      response_types_supported: ['code'],
      response_modes_supported: ['web_message'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      revocation_endpoint_auth_methods_supported: ['none'],
      scopes_supported: SCOPES,
      // Public clients are origins; no registration (SPEC section 6).
      client_id_scheme: 'origin',
    });
  });

  // -------------------------------------------------------------------------------------
  // Pages
  // -------------------------------------------------------------------------------------

  const secureCookies = (c: Context) => !isLoopbackHost(new URL(c.req.url).hostname);

  const render = (c: Context, page: Page, status: 200 | 400 | 403 | 429 = 200) => {
    const { body, csp } = document(page);
    c.header('content-security-policy', csp);
    c.header('x-frame-options', 'DENY');
    // same-origin, not no-referrer: with no-referrer a form's POST carries `Origin: null`.
    c.header('referrer-policy', 'same-origin');
    c.header('cache-control', 'no-store');
    return c.html(body, status);
  };

  /** The CSRF token of this browser (a double-submit cookie), set when absent. */
  const issued = new WeakMap<Context, string>();
  const csrfToken = (c: Context) => {
    const existing = getCookie(c, CSRF_COOKIE);
    if (existing && /^[\w-]{32,64}$/.test(existing)) return existing;
    // One new token per response, however many forms the page has.
    const already = issued.get(c);
    if (already) return already;
    const value = randomBytes(24).toString('base64url');
    issued.set(c, value);
    setCookie(c, CSRF_COOKIE, value, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: secureCookies(c),
      path: '/oauth',
    });
    return value;
  };

  const csrfField = (c: Context) =>
    html`<input type="hidden" name="csrf" value="${csrfToken(c)}" />`;

  /** A form's fields, after its CSRF token and origin are checked; null when they fail. */
  const formOf = async (c: Context): Promise<Record<string, string | string[]> | null> => {
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin) return null;
    const body = await c.req.parseBody({ all: true });
    const fields: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === 'string') fields[k] = v;
      else if (Array.isArray(v)) fields[k] = v.filter((x): x is string => typeof x === 'string');
    }
    const sent = typeof fields.csrf === 'string' ? fields.csrf : '';
    const cookie = getCookie(c, CSRF_COOKIE) ?? '';
    const a = Buffer.from(sent);
    const b = Buffer.from(cookie);
    if (!cookie || a.length !== b.length || !timingSafeEqual(a, b)) return null;
    return fields;
  };

  const expired = (c: Context) =>
    render(
      c,
      {
        title: 'Start again',
        body: html`<h1>This page has expired</h1>
          <p>Close this window and click “Sign in with MoveMentors” on the site again.</p>`,
      },
      403,
    );

  const field = (f: Record<string, string | string[]>, k: string) =>
    typeof f[k] === 'string' ? f[k] : '';

  const requestField = (r: AuthRequest) =>
    html`<input type="hidden" name="request" value="${r.query}" />`;

  /** The page that hands the response to the site, and what the user reads meanwhile. */
  const resultPage = (
    c: Context,
    clientId: string,
    response: Record<string, string | undefined>,
    text: { title: string; line: string },
    status: 200 | 400 = 200,
  ) => {
    const message = { type: 'authorization_response', response };
    return render(
      c,
      {
        title: text.title,
        body: html`<h1>${text.title}</h1>
          <p>${text.line}</p>
          <p class="muted" id="fallback" hidden>
            This window lost track of the site that opened it. Close it and sign in again from the
            site.
          </p>`,
        script: `(function(){var m=${scriptJson(message)},t=${scriptJson(clientId)};if(window.opener){window.opener.postMessage(m,t);window.close();}else{document.getElementById('fallback').hidden=false;}})();`,
      },
      status,
    );
  };

  const errorResult = (
    c: Context,
    clientId: string,
    state: string | undefined,
    error: string,
    line: string,
  ) =>
    resultPage(
      c,
      clientId,
      { error, state },
      { title: error === 'access_denied' ? 'Not allowed' : 'Sign-in failed', line },
      error === 'access_denied' ? 200 : 400,
    );

  const signInPage = (c: Context, r: AuthRequest, opts: { error?: string; email?: string } = {}) =>
    render(
      c,
      {
        title: 'Sign in',
        body: html`<h1>Sign in to MoveMentors</h1>
          <p>
            <strong>${r.clientId}</strong> wants to show your client book. First, sign in with your
            MoveMentors email.
          </p>
          ${opts.error ? html`<p class="error" role="alert">${opts.error}</p>` : ''}
          <form method="post" action="/oauth/authorize/email">
            ${csrfField(c)} ${requestField(r)}
            <label for="email">Email</label>
            <input
              id="email"
              name="email"
              type="email"
              autocomplete="email"
              required
              maxlength="254"
              value="${opts.email ?? ''}"
              autofocus
            />
            <p class="muted">We email you a 6-digit code. No password.</p>
            <div class="actions">
              <button class="primary" type="submit">Email me a code</button>
            </div>
          </form>
          ${
            demoUsers.length
              ? html`<form method="post" action="/oauth/authorize/demo">
                  ${csrfField(c)} ${requestField(r)}
                  <fieldset>
                    <legend>Demo server only</legend>
                    ${demoUsers.map(
                      (u) =>
                        html`<button type="submit" name="user" value="${u.userId}">
                          Sign in as a demo user: ${u.name}
                        </button> `,
                    )}
                  </fieldset>
                </form>`
              : ''
          }`,
      },
      opts.error ? 400 : 200,
    );

  const codePage = (c: Context, r: AuthRequest, email: string, error?: string) =>
    render(
      c,
      {
        title: 'Enter your code',
        body: html`<h1>Check your email</h1>
          <p>
            If <strong>${email}</strong> has a MoveMentors account, we have emailed it a 6-digit
            code. It works once, for 10 minutes.
          </p>
          ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
          <form method="post" action="/oauth/authorize/code">
            ${csrfField(c)} ${requestField(r)}
            <input type="hidden" name="email" value="${email}" />
            <label for="code">6-digit code</label>
            <input
              id="code"
              class="code"
              name="code"
              type="text"
              inputmode="numeric"
              autocomplete="one-time-code"
              pattern="[0-9]{6}"
              maxlength="6"
              required
              autofocus
            />
            <div class="actions"><button class="primary" type="submit">Sign in</button></div>
          </form>
          <form method="get" action="/oauth/authorize">
            ${[...new URLSearchParams(r.query)].map(
              ([k, v]) => html`<input type="hidden" name="${k}" value="${v}" />`,
            )}
            <button class="link" type="submit">Use another email</button>
          </form>`,
      },
      error ? 400 : 200,
    );

  const whoAndSwitch = (c: Context, r: AuthRequest, user: SessionUser) =>
    html`<form method="post" action="/oauth/authorize/switch" class="muted">
      ${csrfField(c)} ${requestField(r)} Signed in as ${user.name} (${user.email}).
      <button class="link" type="submit">Use another account</button>
    </form>`;

  const originHeader = (r: AuthRequest) =>
    html`<p class="origin" id="origin">${r.clientId}</p>
      <p class="muted">
        Every page at this address shares this permission (a host that serves many sites from one
        address shares it between them).
      </p>`;

  const scopeList = (scopes: readonly Scope[]) =>
    html`<ul>
      ${scopes.map((s) => html`<li>${SCOPE_WORDS[s]}</li>`)}
    </ul>`;

  const consentPage = (
    c: Context,
    r: AuthRequest,
    user: SessionUser,
    crms: CrmChoice[],
    checked: ReadonlySet<string>,
    error?: string,
  ) =>
    render(
      c,
      {
        title: 'Allow access',
        body: html`<h1 aria-describedby="origin">Allow this site to use your client book?</h1>
          ${originHeader(r)}
          <form method="post" action="/oauth/authorize/decision">
            ${csrfField(c)} ${requestField(r)}
            ${
              crms.length
                ? html`<fieldset>
                    <legend>Client books it may open</legend>
                    ${crms.map(
                      (k) =>
                        html`<label class="check"
                          ><input
                            type="checkbox"
                            name="crm"
                            value="${k.id}"
                            ${checked.has(k.id) ? html`checked` : ''}
                          /><span
                            >${k.name}
                            <span class="muted"
                              >(${k.kind === 'studio' ? 'studio, shared' : 'your own'})</span
                            ></span
                          ></label
                        >`,
                    )}
                  </fieldset>`
                : html`<p class="error">
                    Your account has no client book yet, so there is nothing to share.
                  </p>`
            }
            ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
            <p>It will be able to:</p>
            ${scopeList(r.scopes)}
            <p class="muted">
              You can take this back at any time; signing out on the site ends it there.
            </p>
            <div class="actions decide">
              ${crms.length ? html`<button class="primary" type="submit" name="decision" value="allow">Allow</button>` : ''}
              <button type="submit" name="decision" value="deny">Deny</button>
            </div>
          </form>
          ${whoAndSwitch(c, r, user)}`,
      },
      error ? 400 : 200,
    );

  const continuePage = (
    c: Context,
    r: AuthRequest,
    user: SessionUser,
    approval: Approval,
    crms: CrmChoice[],
  ) =>
    render(c, {
      title: 'Continue',
      body: html`<h1>Continue to this site?</h1>
        ${originHeader(r)}
        <p>
          You allowed it before to open
          ${crms
            .filter((k) => approval.crmIds.includes(k.id))
            .map(
              (k, i, all) =>
                html`${i ? (i === all.length - 1 ? ' and ' : ', ') : ''}<strong>${k.name}</strong>`,
            )}
          and to:
        </p>
        ${scopeList(r.scopes)}
        <form method="post" action="/oauth/authorize/decision">
          ${csrfField(c)} ${requestField(r)}
          <input type="hidden" name="remembered" value="1" />
          <div class="actions decide">
            <button class="primary" type="submit" name="decision" value="allow">
              Continue as ${user.name}
            </button>
            <button type="submit" name="decision" value="deny">Deny</button>
          </div>
        </form>
        <form method="post" action="/oauth/authorize/switch">
          ${csrfField(c)} ${requestField(r)}
          <div class="actions"><button type="submit">Use another account</button></div>
        </form>`,
    });

  const invalidClientPage = (c: Context, message: string) =>
    render(
      c,
      {
        title: 'Cannot sign in',
        body: html`<h1>This sign-in cannot go on</h1>
          <p class="error" role="alert">${message}</p>
          <p>Close this window. If you set up the site, check the snippet you pasted.</p>`,
      },
      400,
    );

  /** The authorization request of a form (`request` field), or a page that says what is wrong. */
  const requestOf = (c: Context, f: Record<string, string | string[]>) => {
    const parsed = parseAuthRequest(field(f, 'request'));
    if (parsed.ok) return { request: parsed.request };
    if (parsed.client === null) return { response: invalidClientPage(c, parsed.message) };
    return { response: errorResult(c, parsed.client, parsed.state, parsed.error, parsed.message) };
  };

  const sessionOf = (c: Context) => sessionUser(db, getCookie(c, SESSION_COOKIE), clock());

  const startSession = async (c: Context, userId: string) => {
    const { value } = await createSession(db, userId, clock());
    setCookie(c, SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: secureCookies(c),
      path: '/oauth',
      maxAge: Math.floor(SESSION_TTL / 1000),
    });
  };

  const backToAuthorize = (c: Context, r: AuthRequest) =>
    c.redirect(`/oauth/authorize?${r.query}`, 303);

  /** Whether a live approval already covers this request (no consent page needed). */
  const covers = (approval: Approval | undefined, r: AuthRequest, crms: CrmChoice[]) => {
    if (!approval) return false;
    const member = approval.crmIds.filter((id) => crms.some((k) => k.id === id));
    return (
      member.length > 0 &&
      r.scopes.every((s) => approval.scopes.includes(s)) &&
      (r.crm === undefined || member.includes(r.crm))
    );
  };

  app.get('/oauth/authorize', async (c) => {
    const query = new URL(c.req.url).search.slice(1);
    const parsed = parseAuthRequest(query);
    if (!parsed.ok) {
      if (parsed.client === null) return invalidClientPage(c, parsed.message);
      return errorResult(c, parsed.client, parsed.state, parsed.error, parsed.message);
    }
    const r = parsed.request;
    const user = await sessionOf(c);
    if (!user) return signInPage(c, r);
    const crms = await userCrms(db, user.id);
    const approval = await liveApproval(db, user.id, r.clientId);
    if (covers(approval, r, crms)) return continuePage(c, r, user, approval!, crms);
    const checked = new Set<string>();
    if (r.crm && crms.some((k) => k.id === r.crm)) checked.add(r.crm);
    else if (!r.crm && crms.length === 1) checked.add(crms[0]!.id);
    return consentPage(c, r, user, crms, checked);
  });

  app.post('/oauth/authorize/email', async (c) => {
    const f = await formOf(c);
    if (!f) return expired(c);
    const { request: r, response } = requestOf(c, f);
    if (!r) return response;
    const email = field(f, 'email').trim();
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
      return signInPage(c, r, { error: 'Enter the email address of your account.', email });
    }
    const result = await requestLoginCode(db, email, clientIp(c), clock());
    if (result === 'limited') {
      return signInPage(c, r, {
        error:
          'Too many codes were asked for this address or from this network in the last hour. Wait a while, then try again.',
        email,
      });
    }
    return codePage(c, r, email);
  });

  app.post('/oauth/authorize/code', async (c) => {
    const f = await formOf(c);
    if (!f) return expired(c);
    const { request: r, response } = requestOf(c, f);
    if (!r) return response;
    const email = field(f, 'email').trim();
    const code = field(f, 'code').trim();
    const check = await checkLoginCode(db, email, code, clock());
    if (check.ok) {
      await startSession(c, check.userId);
      return backToAuthorize(c, r);
    }
    if (check.triesLeft > 0) {
      return codePage(
        c,
        r,
        email,
        `That code is not right. ${check.triesLeft} ${check.triesLeft === 1 ? 'try' : 'tries'} left.`,
      );
    }
    return signInPage(c, r, {
      error:
        'That code no longer works (too many tries, or more than 10 minutes old). Ask for a new one.',
      email,
    });
  });

  app.post('/oauth/authorize/demo', async (c) => {
    if (!demoUsers.length) throw notFound('POST /oauth/authorize/demo');
    const f = await formOf(c);
    if (!f) return expired(c);
    const { request: r, response } = requestOf(c, f);
    if (!r) return response;
    const user = demoUsers.find((u) => u.userId === field(f, 'user'));
    if (!user) return signInPage(c, r, { error: 'No such demo user.' });
    await startSession(c, user.userId);
    return backToAuthorize(c, r);
  });

  app.post('/oauth/authorize/switch', async (c) => {
    const f = await formOf(c);
    if (!f) return expired(c);
    const { request: r, response } = requestOf(c, f);
    if (!r) return response;
    await endSession(db, getCookie(c, SESSION_COOKIE));
    deleteCookie(c, SESSION_COOKIE, { path: '/oauth', secure: secureCookies(c) });
    return backToAuthorize(c, r);
  });

  app.post('/oauth/authorize/decision', async (c) => {
    const f = await formOf(c);
    if (!f) return expired(c);
    const { request: r, response } = requestOf(c, f);
    if (!r) return response;
    const user = await sessionOf(c);
    if (!user) return backToAuthorize(c, r);
    if (field(f, 'decision') !== 'allow') {
      return errorResult(
        c,
        r.clientId,
        r.state,
        'access_denied',
        'You did not allow this site to open your client book. You can close this window.',
      );
    }
    const now = clock();
    const crms = await userCrms(db, user.id);
    let approval = await liveApproval(db, user.id, r.clientId);
    let crmIds: string[];
    if (field(f, 'remembered') === '1' && covers(approval, r, crms)) {
      crmIds = approval!.crmIds.filter((id) => crms.some((k) => k.id === id));
    } else {
      const picked = f.crm === undefined ? [] : Array.isArray(f.crm) ? f.crm : [f.crm];
      crmIds = crms.filter((k) => picked.includes(k.id)).map((k) => k.id);
      if (!crmIds.length) {
        return consentPage(
          c,
          r,
          user,
          crms,
          new Set(),
          'Tick at least one client book for this site, or choose Deny.',
        );
      }
      approval = await approve(db, user.id, r.clientId, r.scopes, crmIds, now);
    }
    const code = await issueCode(db, approval!, r.clientId, r.challenge, r.scopes, crmIds, now);
    return resultPage(
      c,
      r.clientId,
      { code, state: r.state },
      { title: 'Signed in', line: 'You are signed in. This window closes by itself.' },
    );
  });

  // -------------------------------------------------------------------------------------
  // Token and revocation endpoints (public clients: the client_id is an origin)
  // -------------------------------------------------------------------------------------

  /** CORS for a client's origin on the token endpoints: no cookies are read there. */
  const clientCors = (c: Context) => {
    const origin = clientOrigin(c.req.header('origin'));
    c.header('vary', 'Origin', { append: true });
    if (origin) c.header('access-control-allow-origin', origin);
  };

  const oauthJson = (
    c: Context,
    body: TokenSet | { error: string; error_description: string },
    status: 200 | 400 | 401,
  ) => {
    c.header('cache-control', 'no-store');
    c.header('pragma', 'no-cache');
    return c.json(body, status);
  };

  const formFields = async (c: Context) => {
    const type = c.req.header('content-type') ?? '';
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      throw new OAuthError('invalid_request', 'Send the parameters form-encoded');
    }
    const params = new URLSearchParams(await c.req.text());
    return (k: string) => {
      const all = params.getAll(k);
      if (all.length > 1) throw new OAuthError('invalid_request', `${k} is given more than once`);
      return all[0];
    };
  };

  app.post('/oauth/token', async (c) => {
    clientCors(c);
    try {
      const get = await formFields(c);
      const origin = c.req.header('origin');
      const grant = get('grant_type');
      if (grant === 'authorization_code') {
        const code = get('code');
        const verifier = get('code_verifier');
        const clientId = get('client_id');
        if (!code || !clientId)
          throw new OAuthError('invalid_request', 'code and client_id are required');
        if (!verifier || !/^[\w.~-]{43,128}$/.test(verifier)) {
          throw new OAuthError(
            'invalid_request',
            'A code_verifier of 43-128 characters is required',
          );
        }
        const tokens = await exchangeCode(db, { code, verifier, clientId, origin }, clock());
        return oauthJson(c, tokens, 200);
      }
      if (grant === 'refresh_token') {
        const token = get('refresh_token');
        if (!token) throw new OAuthError('invalid_request', 'refresh_token is required');
        const tokens = await refresh(
          db,
          { refreshToken: token, clientId: get('client_id'), origin },
          clock(),
        );
        return oauthJson(c, tokens, 200);
      }
      throw new OAuthError(
        grant ? 'unsupported_grant_type' : 'invalid_request',
        'grant_type is authorization_code or refresh_token',
      );
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return oauthJson(
        c,
        { error: err.error, error_description: err.description },
        err.status as 400 | 401,
      );
    }
  });

  app.post('/oauth/revoke', async (c) => {
    clientCors(c);
    try {
      const get = await formFields(c);
      const token = get('token');
      if (!token) throw new OAuthError('invalid_request', 'token is required');
      await revokeToken(db, token, c.req.header('origin'), clock());
      c.header('cache-control', 'no-store');
      return c.body(null, 200);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      return oauthJson(c, { error: err.error, error_description: err.description }, 400);
    }
  });

  // -------------------------------------------------------------------------------------
  // A user's approvals. A token minted for a site sees and revokes only its own approval.
  // -------------------------------------------------------------------------------------

  const actorOf = (c: Context): Promise<Actor> =>
    authenticate(db, c.req.header('authorization'), clock(), c.req.header('origin'));

  app.get('/v1/me/authorizations', async (c) => {
    const actor = await actorOf(c);
    c.header('cache-control', 'no-store');
    return c.json({ items: await listApprovals(db, actor.id, actor.approvalId) });
  });

  app.delete('/v1/me/authorizations/:id', async (c) => {
    const actor = await actorOf(c);
    const id = c.req.param('id');
    if (actor.approvalId && actor.approvalId !== id) throw notFound('The authorization');
    if (!(await revokeApproval(db, actor.id, id, clock()))) throw notFound('The authorization');
    return c.body(null, 204);
  });
  app.all('/v1/me/authorizations', () => methodNotAllowed('GET'));
  app.all('/v1/me/authorizations/:id', () => methodNotAllowed('DELETE'));

  return app;
}

const methodNotAllowed = (allow: string) =>
  new ApiError(405, 'method_not_allowed', `Use ${allow} on this path`, {
    headers: { allow },
  }).toResponse();
