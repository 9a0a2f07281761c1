/**
 * The configuration every CRM element shares (SPEC section 4): `api-base`, `crm` and
 * `locale` attributes and `token` / `getToken` properties on the element, or a surrounding
 * `<mm-crm-provider>` through @lit/context. The element's own settings win over the
 * provider's.
 *
 * A page without script (a site builder) may give a short-lived token as a `token`
 * attribute: it is read into the property and removed from the DOM at once.
 */
import { consume } from '@lit/context';
import { LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CrmClient, type TokenSource } from '../api/client.js';
import { CrmApiError } from '../api/errors.js';
import type { CrmSummary, Me } from '../api/schemas.js';
import { crmContext, type CrmContextValue } from '../elements/provider/context.js';
import { signInFor, followSignIn, signInView, type SignIn } from '../auth/sign-in.js';
import { emit } from './emit.js';

/** One client per (apiBase, token source), shared by elements configured alike. */
const clients = new Map<string, WeakMap<object, CrmClient>>();
const tokenKeys = new Map<string, object>();

/**
 * The API client for a configuration; the same instance for the same configuration so that
 * tasks keyed on it do not re-run. `host` receives `mm-auth-required`.
 */
export function clientFor(
  apiBase: string | undefined,
  token: string | null | undefined,
  getToken: TokenSource | null | undefined,
  host: EventTarget,
): CrmClient | null {
  if (apiBase === undefined || (!token && !getToken)) return null;
  const base = apiBase.replace(/\/+$/, '');
  let key: object | undefined = getToken ?? undefined;
  if (!key) {
    key = tokenKeys.get(token!);
    if (!key) tokenKeys.set(token!, (key = {}));
  }
  let byKey = clients.get(base);
  if (!byKey) clients.set(base, (byKey = new WeakMap()));
  let client = byKey.get(key);
  if (!client) {
    client = new CrmClient({
      apiBase: base,
      token: token ?? null,
      getToken: getToken ?? null,
      onAuthRequired: () => emit(host, 'mm-auth-required', { apiBase: base }),
    });
    byKey.set(key, client);
  }
  return client;
}

const meCache = new WeakMap<CrmClient, Promise<Me>>();

/** `GET /v1/me` (the user and their CRMs), cached per client. */
export async function me(client: CrmClient, signal?: AbortSignal): Promise<Me> {
  let cached = meCache.get(client);
  if (!cached) {
    cached = client.me();
    meCache.set(client, cached);
    cached.catch(() => meCache.delete(client));
  }
  return signal
    ? Promise.race([
        cached,
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
      ])
    : cached;
}

/** The CRM's kind, name and currency (from `GET /v1/me`, cached per client). */
export async function crmInfo(
  client: CrmClient,
  crmId: string,
  signal?: AbortSignal,
): Promise<CrmSummary> {
  const result = await me(client, signal);
  const crm = result.crms.find((c) => c.id === crmId);
  if (!crm) {
    throw new CrmApiError({
      code: 'not_found',
      status: 404,
      detail: 'This CRM does not exist or you are not a member of it.',
    });
  }
  return crm;
}

/**
 * Moves a `token` attribute into the `token` property and removes it from the DOM, so that
 * the token is not left readable in the page's markup. True when `name` was `token`.
 */
export function takeTokenAttribute(
  el: Element & { token?: string | null },
  name: string,
  value: string | null,
): boolean {
  if (name !== 'token') return false;
  if (value !== null) {
    el.token = value;
    el.removeAttribute('token');
  }
  return true;
}

export class CrmElement extends LitElement {
  constructor() {
    super();
    // Updates the element when the sign-in it uses changes (a controller: no work done here).
    followSignIn(this, () => this.signIn);
  }

  /** Base URL of the CRM API (e.g. `https://crm.example.com`). Falls back to the provider's. */
  @property({ attribute: 'api-base' }) apiBase?: string;

  /** The CRM id to show. Falls back to the provider's. */
  @property() crm?: string;

  /** BCP 47 locale for numbers, money and dates. Falls back to the provider's, then `<html lang>`. */
  @property() locale?: string;

  /** Bearer token. May be given once as a `token` attribute, which is then removed from the DOM. */
  @property({ attribute: false }) token?: string | null;

  /** Async token source: called when a token is needed and once more after a 401. */
  @property({ attribute: false }) getToken?: TokenSource | null;

  /** What a surrounding `<mm-crm-provider>` gives. */
  @consume({ context: crmContext, subscribe: true })
  @state()
  protected provided?: CrmContextValue;

  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'token'];
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (!takeTokenAttribute(this, name, value)) super.attributeChangedCallback(name, old, value);
  }

  /**
   * The sign-in this element uses (SPEC section 6): its own `api-base` without a token, or
   * that of a surrounding `<mm-crm-provider>` configured so.
   */
  get signIn(): SignIn | undefined {
    if (this.token || this.getToken) return undefined;
    const p = this.provided;
    const apiBase = this.apiBase ?? (p && !p.client ? p.apiBase : undefined);
    return apiBase === undefined ? undefined : signInFor(apiBase);
  }

  /**
   * While this element's sign-in is not done: the "Sign in with MoveMentors" button (part
   * `sign-in`), its progress or failure, or the choice of CRM. Undefined otherwise.
   */
  protected signInGate() {
    const signIn = this.signIn;
    return signIn && signInView(this, signIn, this.crm || this.provided?.crm || undefined);
  }

  /**
   * The configuration in force: own settings over the provider's. `client` is null until a
   * token source is set or the sign-in is done (no request is made without a token).
   */
  get crmConfig(): CrmContextValue | undefined {
    const own = this.apiBase !== undefined || this.token || this.getToken;
    const p = this.provided;
    const signIn = this.signIn;
    const apiBase = this.apiBase ?? p?.apiBase;
    const crm = this.crm || p?.crm || signIn?.crm;
    if (apiBase === undefined || !crm) return undefined;
    const client = signIn
      ? signIn.client
      : own
        ? clientFor(apiBase, this.token ?? null, this.getToken ?? null, this)
        : (p?.client ?? null);
    return {
      apiBase,
      crm,
      locale: this.locale ?? p?.locale ?? (document.documentElement.lang || undefined),
      client,
    };
  }
}
