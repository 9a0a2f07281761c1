/**
 * Sign-in for embedded pages (SPEC section 6): one `SignIn` per page and API base, shared by
 * every element configured with that `api-base` and no token of its own (one popup, one
 * token).
 *
 * This file is in the standalone bundle: the state the elements render, the button, and
 * opening the popup, which a browser allows only during the click. Everything else (PKCE,
 * the popup's answer, the token endpoint, refresh, revocation, storage) is in
 * `sign-in-flow.ts`, a chunk loaded on first use.
 *
 * Where the tokens live: the access token in this object only (memory); the refresh token in
 * `sessionStorage` of the page's origin, so that a reload stays signed in and closing the
 * tab signs out. Never `localStorage`, a cookie or the DOM.
 */
import { html, nothing, type ReactiveControllerHost } from 'lit';
import { CrmClient } from '../api/client.js';
import type { Me } from '../api/schemas.js';
import { emit } from '../shared/emit.js';
import type * as Flow from './sign-in-flow.js';

/** Where the sign-in is. */
export type SignInPhase = 'signed-out' | 'restoring' | 'popup' | 'signed-in';

/** An element that shows a sign-in: updated when it changes, and where its events start. */
export type SignInHost = ReactiveControllerHost & HTMLElement;

/** The chunk, once loaded (a signed-in page has it). */
let loaded: typeof Flow | undefined;
const flow = () => import('./sign-in-flow.js').then((m) => (loaded = m));

/** The `sessionStorage` key of an API base's sign-in: `{refresh, crm}` (see the chunk). */
const storageKey = (apiBase: string) => `mm-crm-sign-in:${apiBase}`;

/** True when this page kept a sign-in for a reload (in `sessionStorage`). */
function kept(apiBase: string): boolean {
  try {
    return !!sessionStorage.getItem(storageKey(apiBase));
  } catch {
    return false; // no storage (a sandboxed frame)
  }
}

/** What a signed-out element says above its button (the chunk's view says it too). */
const SIGNED_OUT = 'Sign in to see your clients here.';

const kit = { html, nothing, emit, CrmClient, SIGNED_OUT };

export class SignIn {
  /** Undefined: signed out, and nothing kept for a reload was found yet. */
  phase: SignInPhase | undefined;
  /** What the user reads about the last failure, shown with the button. */
  message: string | undefined;
  /** The user and the CRMs this sign-in may open. */
  me: Me | undefined;
  /** The CRM to show without a `crm` attribute: the only one, or the one the user chose. */
  crm: string | undefined;
  /** The API client while signed in; a new one for each sign-in. */
  client: CrmClient | null = null;
  /** The access token and when it expires (ms): memory only. */
  access: { token: string; expires: number } | undefined;
  /** The elements that show this sign-in. */
  readonly hosts = new Set<SignInHost>();
  /** The element whose button was clicked. */
  from: SignInHost | undefined;
  popup: Window | null | undefined;
  renewing: Promise<string | null> | undefined;

  /** What the chunk renders and dispatches with: this bundle's own, not copies. */
  readonly kit = kit;

  /** `apiBase`: resolved against the page. */
  constructor(readonly apiBase: string) {}

  /** The access token, renewed shortly before it expires, or after a 401 (`again`). */
  token = async (again?: boolean): Promise<string | null> => {
    const access = this.access;
    if (access && !again && access.expires - Date.now() > 60_000) return access.token;
    return (await flow()).renew(this);
  };

  /**
   * Opens the popup and signs in. Call it from the click: the popup is opened before anything
   * is awaited, so no popup blocker stops it.
   */
  start(from: SignInHost, crm?: string): void {
    if (this.popup?.closed === false) return this.popup.focus();
    this.from = from;
    this.popup = window.open('about:blank', 'mm-crm-sign-in', 'popup,width=480,height=680');
    this.update({ phase: 'popup', message: undefined });
    // The chunk reports every failure; if it cannot even load, the button comes back.
    void flow().then(
      (f) => f.signIn(this, crm),
      () => {
        this.popup?.close();
        this.update({ phase: 'signed-out' });
      },
    );
  }

  /** Sets the state and updates every element that shows it. */
  update(state: Partial<Pick<SignIn, 'phase' | 'message' | 'me' | 'client' | 'crm'>>): void {
    Object.assign(this, state);
    for (const host of this.hosts) host.requestUpdate();
  }
}

const signIns = new Map<string, SignIn>();

/** The page's one `SignIn` for an API base. */
export function signInFor(apiBase: string): SignIn {
  const resolved = new URL(apiBase || '/', location.href).href.replace(/\/+$/, '');
  let signIn = signIns.get(resolved);
  if (!signIn) signIns.set(resolved, (signIn = new SignIn(resolved)));
  return signIn;
}

/**
 * Keeps `host` subscribed to the sign-in it uses (`current()` says which, or none), so that
 * it updates when the sign-in changes; a sign-in kept for a reload is renewed on first use.
 */
export function followSignIn(host: SignInHost, current: () => SignIn | undefined): void {
  let followed: SignIn | undefined;
  const follow = (connected: boolean) => {
    const now = connected ? current() : undefined;
    if (now === followed) return;
    followed?.hosts.delete(host);
    followed = now;
    if (!now) return;
    now.hosts.add(host);
    // A sign-in kept for a reload: renew it (once: the phase is then set).
    if (!now.phase && kept(now.apiBase)) {
      now.phase = 'restoring';
      void now.token();
    }
  };
  // An element updates only while connected.
  const on = () => follow(true);
  host.addController({ hostConnected: on, hostUpdate: on, hostDisconnected: () => follow(false) });
}

/**
 * What an element shows while its sign-in is not done: the button (part `sign-in`), and once
 * the chunk is loaded, its progress, the last failure or the choice of CRM. Undefined when
 * signed in with a CRM to show.
 */
export function signInView(host: SignInHost, signIn: SignIn, crm: string | undefined) {
  if (signIn.phase === 'signed-in' && (crm || signIn.crm)) return undefined;
  // Before the chunk is loaded the sign-in can only be signed out or restoring.
  return loaded
    ? loaded.view(host, signIn, crm)
    : html`<div class="message">
        <p>${SIGNED_OUT}</p>
        <button
          type="button"
          class="primary"
          part="sign-in"
          @click=${() => signIn.start(host, crm)}
        >
          Sign in with MoveMentors
        </button>
      </div>`;
}

/** A "Sign out" button (part `sign-out`) while signed in through `signIn`. */
export const signOutButton = (signIn: SignIn | undefined) =>
  signIn?.phase === 'signed-in' ? loaded!.signOutButton(signIn) : nothing;
