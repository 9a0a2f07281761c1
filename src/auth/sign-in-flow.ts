/**
 * The elements' sign-in (SPEC section 6), loaded on first use: what a `SignIn`
 * (`sign-in.ts`) does. The authorization code with PKCE (Web Crypto) in a popup that answers
 * by `postMessage` (`response_mode=web_message`), the refresh of a rotating refresh token,
 * revocation, and what is kept for a reload. No OAuth library: `fetch`, `crypto.subtle` and
 * the server's RFC 8414 metadata.
 *
 * The popup's answer is taken only from the popup this sign-in opened, from the origin of the
 * authorization endpoint, and with the state this sign-in sent.
 *
 * This chunk imports nothing from the bundle: Lit, `emit` and the API client come with the
 * `SignIn` (`s.kit`). (Imports shared with the bundle and the other lazy chunks made Rolldown
 * split a third, shared file out of the bundle.)
 */
import type { SignIn, SignInHost } from './sign-in.js';

/** The `sessionStorage` key of an API base's sign-in (as `sign-in.ts` reads it). */
const storageKey = (apiBase: string) => `mm-crm-sign-in:${apiBase}`;

const MESSAGES = {
  blocked: 'Your browser blocked the sign-in window. Allow pop-ups for this site, then try again.',
  framed:
    'This page runs inside a frame that may not open windows (a sandbox without allow-popups), so sign-in cannot start here. Ask your site builder to allow pop-ups, or open this page on its own.',
  closed: 'The sign-in window was closed before you finished. Try again when you are ready.',
  denied: 'Access was not allowed. Sign in again if you change your mind.',
  unreachable: 'Could not reach MoveMentors to sign in. Check your connection, then try again.',
  'no-origin':
    'This page has no address of its own (a sandboxed frame), so it cannot sign in. Open it on its own page.',
  expired: 'Your sign-in has ended. Sign in again to continue.',
  failed: 'Signing in did not work. Try again.',
  'no-metadata': 'This server does not offer sign-in (it has no OAuth metadata).',
};

/** Why a sign-in did not happen; `message` is the sentence the user reads. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
  constructor(readonly reason: keyof typeof MESSAGES) {
    super(MESSAGES[reason]);
  }
}

export interface TokenResponse {
  access_token: string;
  /** Seconds. */
  expires_in: number;
  refresh_token: string;
}

interface Metadata {
  authorization_endpoint: string;
  token_endpoint: string;
  revocation_endpoint: string;
}

/** What the elements do: read, edit notes and tags, message clients, export. */
const SCOPE = 'crm:read crm:write crm:message crm:export';

// -- what a SignIn does ----------------------------------------------------------------------

/** Signs in through the popup `s.start()` opened (still blank, or null when blocked). */
export async function signIn(s: SignIn, crm: string | undefined): Promise<void> {
  const popup = s.popup;
  s.update({}); // the views of this chunk, now that it is loaded
  try {
    await signedIn(s, await popupSignIn(popup, s.apiBase, crm));
    s.kit.emit(emitter(s), 'mm-signed-in', { userId: s.me!.user.id });
  } catch (error) {
    popup?.close();
    if (!s.client) s.access = undefined;
    s.update({ phase: s.client ? 'signed-in' : 'signed-out', message: messageOf(error) });
  } finally {
    s.popup = null;
  }
}

/** A fresh access token from the refresh token kept for this page; one renewal at a time. */
export function renew(s: SignIn): Promise<string | null> {
  s.renewing ??= (async () => {
    const refresh = stored(s.apiBase)?.refresh;
    const restoring = s.phase === 'restoring';
    if (restoring) s.update({}); // "Signing in…", now that this chunk is loaded
    try {
      if (!refresh) throw new SignInError('expired');
      await signedIn(s, await refreshTokens(s.apiBase, refresh));
      if (restoring) s.kit.emit(emitter(s), 'mm-signed-in', { userId: s.me!.user.id });
      return s.access!.token;
    } catch (error) {
      const offline = !(error instanceof SignInError) || error.reason === 'unreachable';
      // Offline: keep the sign-in; the next request tries again.
      if (offline && s.client) return s.access?.token ?? null;
      const from = emitter(s);
      end(s, messageOf(restoring || !s.client ? error : new SignInError('expired')), !offline);
      if (s.client === null && !restoring) s.kit.emit(from, 'mm-signed-out', {});
      return null;
    } finally {
      s.renewing = undefined;
    }
  })();
  return s.renewing;
}

/** Forgets the sign-in here at once, then revokes it on the server. */
export async function signOut(s: SignIn): Promise<void> {
  const refresh = stored(s.apiBase)?.refresh;
  const from = emitter(s);
  s.popup?.close();
  end(s, '', true);
  s.kit.emit(from, 'mm-signed-out', {});
  if (refresh) {
    try {
      await revoke(s.apiBase, refresh);
    } catch {
      // Unreachable: the tokens die on their own (15 minutes, 8 hours).
    }
  }
}

/** The CRM the user chose among several, kept for a reload. */
export function choose(s: SignIn, crmId: string): void {
  keep(s.apiBase, { ...stored(s.apiBase), crm: crmId });
  s.update({ crm: crmId });
}

async function signedIn(s: SignIn, tokens: TokenResponse) {
  s.access = { token: tokens.access_token, expires: Date.now() + tokens.expires_in * 1000 };
  const kept = { ...stored(s.apiBase), refresh: tokens.refresh_token };
  keep(s.apiBase, kept);
  if (!s.client) {
    const client = new s.kit.CrmClient({
      apiBase: s.apiBase,
      getToken: s.token,
      askEveryTime: true,
      // Still 401 with a renewed token: this sign-in is over.
      onAuthRequired: () => {
        const from = emitter(s);
        end(s, MESSAGES.expired, true);
        s.kit.emit(from, 'mm-auth-required', { apiBase: s.apiBase });
      },
    });
    const me = await client.me();
    // The only CRM, or the one chosen before a reload (if still among them).
    const id = me.crms.length === 1 ? me.crms[0]!.id : kept.crm;
    s.update({ me, client, crm: me.crms.some((k) => k.id === id) ? id : undefined });
  }
  s.update({ phase: 'signed-in', message: undefined });
}

// -- views ----------------------------------------------------------------------------------

/**
 * What an element shows while its sign-in is not done (see `signInView`): the button with
 * the progress or the last failure, or the choice of CRM when the sign-in may open several
 * and no `crm` was given.
 */
export function view(host: SignInHost, s: SignIn, crm: string | undefined) {
  const { phase } = s;
  const { html, nothing } = s.kit;
  if (phase === 'signed-in') {
    return html`<div class="message" part="crm-choice" role="group" aria-labelledby="choose">
      <p id="choose">Which client book should this page show?</p>
      ${s.me!.crms.map(
        (k) => html`<button type="button" @click=${() => choose(s, k.id)}>${k.name}</button> `,
      )}
    </div>`;
  }
  return html`<div class="message">
    ${s.message ? html`<p class="error" role="alert">${s.message}</p>` : nothing}
    <p role="status">
      ${
        phase === 'popup'
          ? 'Finish signing in in the MoveMentors window…'
          : phase === 'restoring'
            ? 'Signing in…'
            : s.message
              ? ''
              : s.kit.SIGNED_OUT
      }
    </p>
    <button
      type="button"
      class="primary"
      part="sign-in"
      ?disabled=${phase === 'restoring'}
      @click=${() => s.start(host, crm)}
    >
      Sign in with MoveMentors
    </button>
  </div>`;
}

export const signOutButton = (s: SignIn) =>
  s.kit
    .html`<button type="button" part="sign-out" @click=${() => void signOut(s)}>Sign out</button>`;

/** Signed out: the button again, with `message`; `forget` also drops what a reload uses. */
function end(s: SignIn, message: string, forget: boolean) {
  s.access = undefined;
  if (forget) {
    try {
      sessionStorage.removeItem(storageKey(s.apiBase));
    } catch {
      // no storage
    }
  }
  s.update({ phase: 'signed-out', message, me: undefined, client: null, crm: undefined });
}

/** What is kept for a reload: the refresh token and the CRM chosen. */
function stored(apiBase: string): { refresh?: string; crm?: string } | undefined {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey(apiBase)) ?? 'null') ?? undefined;
  } catch {
    return undefined; // no storage, or not ours
  }
}

function keep(apiBase: string, value: { refresh?: string; crm?: string }) {
  try {
    sessionStorage.setItem(storageKey(apiBase), JSON.stringify(value));
  } catch {
    // no storage: a reload signs out
  }
}

/** Where the sign-in's events start: the element clicked, else any still on the page. */
const emitter = (s: SignIn): EventTarget =>
  (s.from?.isConnected ? s.from : [...s.hosts].find((h) => h.isConnected)) ?? document;

const messageOf = (error: unknown) =>
  error instanceof SignInError ? error.message : MESSAGES.unreachable;

// -- OAuth ----------------------------------------------------------------------------------

const metadataCache = new Map<string, Promise<Metadata>>();

/** The server's endpoints (RFC 8414), asked once per page. */
function metadata(apiBase: string): Promise<Metadata> {
  let m = metadataCache.get(apiBase);
  if (!m) {
    m = (async () => {
      let res: Response;
      try {
        res = await fetch(`${apiBase}/.well-known/oauth-authorization-server`, {
          credentials: 'omit',
        });
      } catch {
        throw new SignInError('unreachable');
      }
      const meta = (await res.json().catch(() => null)) as Metadata | null;
      if (!res.ok || typeof meta?.authorization_endpoint !== 'string') {
        throw new SignInError('no-metadata');
      }
      return meta;
    })();
    metadataCache.set(apiBase, m);
    m.catch(() => metadataCache.delete(apiBase));
  }
  return m;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

const random = (n: number) => base64url(crypto.getRandomValues(new Uint8Array(n)));

/**
 * Signs in through `popup` (opened by the click, still blank): PKCE, the authorization page,
 * its answer, the code exchanged for tokens.
 */
export async function popupSignIn(
  popup: Window | null | undefined,
  apiBase: string,
  crm: string | undefined,
): Promise<TokenResponse> {
  if (!popup) throw new SignInError(window === window.top ? 'blocked' : 'framed');
  const clientId = location.origin;
  if (clientId === 'null') throw new SignInError('no-origin');
  const meta = await metadata(apiBase);
  const verifier = random(32);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const state = random(16);
  const query = new URLSearchParams({
    response_type: 'code',
    response_mode: 'web_message',
    client_id: clientId,
    scope: SCOPE,
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  });
  if (crm) query.set('crm', crm);
  const authorize = new URL(meta.authorization_endpoint);

  const code = await new Promise<string>((resolve, reject) => {
    let closedAt = 0;
    const onMessage = (e: MessageEvent) => {
      const data = e.data as {
        type?: unknown;
        response?: { code?: unknown; error?: unknown; state?: unknown };
      } | null;
      if (e.origin !== authorize.origin || e.source !== popup) return;
      if (data?.type !== 'authorization_response' || data.response?.state !== state) return;
      done();
      const { code, error } = data.response;
      if (typeof code === 'string') resolve(code);
      else reject(new SignInError(error === 'access_denied' ? 'denied' : 'failed'));
    };
    const poll = setInterval(() => {
      if (!popup.closed) return;
      // The answer is posted just before the window closes itself: give it a moment.
      closedAt ||= Date.now();
      if (Date.now() - closedAt >= 1000) {
        done();
        reject(new SignInError('closed'));
      }
    }, 250);
    const done = () => {
      clearInterval(poll);
      removeEventListener('message', onMessage);
    };
    addEventListener('message', onMessage);
    popup.location.href = `${authorize.href}?${query}`;
  });

  return tokenRequest(meta.token_endpoint, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    client_id: clientId,
  });
}

/** Renews the tokens with a refresh token (which the server then retires). */
export async function refreshTokens(apiBase: string, refreshToken: string) {
  const meta = await metadata(apiBase);
  return tokenRequest(meta.token_endpoint, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: location.origin,
  });
}

/** Revokes a refresh token, and with it every token of its sign-in (RFC 7009). */
export async function revoke(apiBase: string, token: string): Promise<void> {
  const meta = await metadata(apiBase);
  await fetch(meta.revocation_endpoint, {
    method: 'POST',
    credentials: 'omit',
    body: new URLSearchParams({
      token,
      token_type_hint: 'refresh_token',
      client_id: location.origin,
    }),
  });
}

async function tokenRequest(endpoint: string, form: Record<string, string>) {
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'POST',
      credentials: 'omit',
      body: new URLSearchParams(form),
    });
  } catch {
    throw new SignInError('unreachable');
  }
  const body = (await res.json().catch(() => ({}))) as Partial<TokenResponse> & {
    error?: string;
  };
  if (!res.ok || typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string') {
    throw new SignInError(body.error === 'invalid_grant' ? 'expired' : 'failed');
  }
  return body as TokenResponse;
}
