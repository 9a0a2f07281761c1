/**
 * The CRM API client, on ky. Every response is validated against its schema in
 * `schemas.ts`; every failure becomes a `CrmApiError`.
 *
 * - Bearer token from a `token` value or an async `getToken()`; after a 401, `getToken()` is
 *   called once more and the request repeated once; a second 401 calls `onAuthRequired`.
 * - Retries (ky's) only for idempotent methods (GET, PUT), on 408/413/429/5xx and network
 *   errors; POST is never retried.
 * - A timeout per attempt; an `AbortSignal` per call.
 */
import ky, { HTTPError, TimeoutError, type KyInstance, type Options } from 'ky';
import type * as z from 'zod/mini';
import { CrmApiError, isAbortError } from './errors.js';
import {
  BookingPage,
  ClientDetail,
  ClientListPage,
  Me,
  MergeRequestAccepted,
  MessageAccepted,
  Note,
  Problem,
  REPEATABLE_QUERY_KEYS,
  TagCountList,
  TagsResponse,
  TeacherList,
  type ClientListParams,
  type MergeRequestCreate,
  type MessageCreate,
  type BookingPageParams,
} from './schemas.js';

/** A token source; `again` is true when it is asked once more after a 401. */
export type TokenSource = (
  again?: boolean,
) => string | null | undefined | Promise<string | null | undefined>;

export interface CrmClientOptions {
  /** Base URL of the API, e.g. `https://crm.example.com` (paths start with `/v1`). */
  apiBase: string;
  /** A bearer token. */
  token?: string | null;
  /** Called for a token when none is cached, and once more after a 401. */
  getToken?: TokenSource | null;
  /**
   * Ask `getToken` before every request rather than keeping its answer until a 401: for a
   * source that keeps and renews its own token (the elements' sign-in).
   */
  askEveryTime?: boolean;
  /** Called when a request is still 401 after a token refresh. */
  onAuthRequired?: () => void;
  /** Milliseconds per attempt before a `timeout` error (default 15 000). */
  timeout?: number;
  /** Retries for idempotent requests (default 2). */
  retry?: number;
  /** Backoff before retry `n` (default 300 ms, doubling). */
  retryDelay?: (attempt: number) => number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Let the request outlive the page (`fetch` `keepalive`), for a save sent while the page is
   * being left. Browsers refuse a keepalive body over 64 KB.
   */
  keepalive?: boolean;
}

type Method = 'get' | 'put' | 'post' | 'delete';
type Init = { query?: Query; json?: unknown };
type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>;

const encode = (s: string) => encodeURIComponent(s);

/** `?a=1&status=regular&status=active`, skipping empty values. */
export function toSearchParams(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  return params;
}

export { REPEATABLE_QUERY_KEYS };

export class CrmClient {
  readonly apiBase: string;
  #options: CrmClientOptions;
  #ky: KyInstance;
  #token: Promise<string | null | undefined> | undefined;

  constructor(options: CrmClientOptions) {
    this.#options = options;
    this.apiBase = options.apiBase.replace(/\/+$/, '');
    this.#ky = ky.create({
      timeout: options.timeout ?? 15_000,
      retry: {
        limit: options.retry ?? 2,
        methods: ['get', 'put', 'head', 'delete', 'options'],
        statusCodes: [408, 413, 429, 500, 502, 503, 504],
        ...(options.retryDelay ? { delay: options.retryDelay } : {}),
      },
      throwHttpErrors: true,
    });
  }

  // -- endpoints ----------------------------------------------------------------------------

  me(o?: CallOptions) {
    return this.#json('get', '/v1/me', Me, o);
  }

  listClients(crmId: string, query: ClientListParams = {}, o?: CallOptions) {
    return this.#json('get', `${this.#crm(crmId)}/clients`, ClientListPage, o, { query });
  }

  /** The CSV export of the filtered list, as a Blob (`text/csv`). */
  async exportClientsCsv(crmId: string, query: ClientListParams = {}, o?: CallOptions) {
    const { cursor: _cursor, limit: _limit, ...filters } = query;
    const res = await this.#send('get', `${this.#crm(crmId)}/clients/export.csv`, o, {
      query: filters,
    });
    return res.blob();
  }

  getClient(crmId: string, clientId: string, o?: CallOptions) {
    return this.#json('get', this.#client(crmId, clientId), ClientDetail, o);
  }

  /** A page of the booking history: oldest first, or newest first with `order: 'desc'`. */
  listBookings(crmId: string, clientId: string, page: BookingPageParams = {}, o?: CallOptions) {
    return this.#json('get', `${this.#client(crmId, clientId)}/bookings`, BookingPage, o, {
      query: page,
    });
  }

  getNote(crmId: string, clientId: string, o?: CallOptions) {
    return this.#json('get', `${this.#client(crmId, clientId)}/note`, Note, o);
  }

  /** Saves the note if the server still has `version`; 412 `version_conflict` otherwise. */
  putNote(crmId: string, clientId: string, text: string, version: number, o?: CallOptions) {
    return this.#json('put', `${this.#client(crmId, clientId)}/note`, Note, o, {
      json: { text },
      headers: { 'if-match': `"${version}"` },
    });
  }

  putTags(crmId: string, clientId: string, tags: string[], o?: CallOptions) {
    return this.#json('put', `${this.#client(crmId, clientId)}/tags`, TagsResponse, o, {
      json: { tags },
    });
  }

  listTags(crmId: string, o?: CallOptions) {
    return this.#json('get', `${this.#crm(crmId)}/tags`, TagCountList, o);
  }

  listTeachers(crmId: string, o?: CallOptions) {
    return this.#json('get', `${this.#crm(crmId)}/teachers`, TeacherList, o);
  }

  sendMessage(crmId: string, clientId: string, message: MessageCreate, o?: CallOptions) {
    return this.#json('post', `${this.#client(crmId, clientId)}/messages`, MessageAccepted, o, {
      json: message,
    });
  }

  requestMerge(crmId: string, request: MergeRequestCreate, o?: CallOptions) {
    return this.#json('post', `${this.#crm(crmId)}/merge-requests`, MergeRequestAccepted, o, {
      json: request,
    });
  }

  /**
   * Any endpoint of the API (`path` from `/v1`), its JSON response validated against
   * `schema` (none: the response has no body): for endpoints whose calls are loaded with the
   * element that needs them (sessions, alerts), so that the standalone bundle does not carry
   * them. `api/sessions.ts` and `api/alerts.ts` use it.
   */
  request<S extends z.ZodMiniType>(
    method: Method,
    path: string,
    schema: S,
    o?: CallOptions,
    init?: Init,
  ): Promise<z.infer<S>>;
  request(method: Method, path: string, schema: null, o?: CallOptions, init?: Init): Promise<void>;
  async request(
    method: Method,
    path: string,
    schema: z.ZodMiniType | null,
    o?: CallOptions,
    init: Init = {},
  ): Promise<unknown> {
    if (schema) return this.#json(method, path, schema, o, init);
    await this.#send(method, path, o, init);
  }

  // -- plumbing -----------------------------------------------------------------------------

  #crm(crmId: string) {
    return `/v1/crms/${encode(crmId)}`;
  }

  #client(crmId: string, clientId: string) {
    return `${this.#crm(crmId)}/clients/${encode(clientId)}`;
  }

  async #json<S extends z.ZodMiniType>(
    method: 'get' | 'put' | 'post' | 'delete',
    path: string,
    schema: S,
    o: CallOptions | undefined,
    init: { query?: Query; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<z.infer<S>> {
    const res = await this.#send(method, path, o, init);
    let body: unknown;
    try {
      body = await res.json();
    } catch (cause) {
      if (isAbortError(cause)) throw cause;
      throw new CrmApiError({
        code: 'invalid_response',
        status: res.status,
        detail: `The CRM API answered ${method.toUpperCase()} ${path} with a body that is not JSON.`,
        cause,
      });
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('; ');
      throw new CrmApiError({
        code: 'invalid_response',
        status: res.status,
        detail: `The CRM API's response to ${method.toUpperCase()} ${path} does not match the contract (${where}).`,
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  async #getToken(refresh: boolean): Promise<string | null | undefined> {
    const { token, getToken } = this.#options;
    if (getToken) {
      if (refresh || !this.#token || this.#options.askEveryTime) {
        this.#token = Promise.resolve(getToken(refresh));
        // A failed token source is asked again next time.
        this.#token.catch(() => (this.#token = undefined));
      }
      return this.#token;
    }
    return token;
  }

  async #send(
    method: 'get' | 'put' | 'post' | 'delete',
    path: string,
    o: CallOptions | undefined,
    init: { query?: Query; json?: unknown; headers?: Record<string, string> },
  ): Promise<Response> {
    const url = `${this.apiBase}${path}`;
    for (let attempt = 0; ; attempt++) {
      const token = await this.#getToken(attempt > 0);
      if (!token) {
        throw new CrmApiError({
          code: 'no_token',
          status: 0,
          detail: 'No token is configured: set the token or getToken property.',
        });
      }
      const options: Options = {
        method,
        headers: { ...init.headers, authorization: `Bearer ${token}` },
        ...(init.query ? { searchParams: toSearchParams(init.query) } : {}),
        ...(init.json !== undefined ? { json: init.json } : {}),
        ...(o?.signal ? { signal: o.signal } : {}),
        ...(o?.keepalive ? { keepalive: true } : {}),
      };
      try {
        return await this.#ky(url, options);
      } catch (error) {
        const apiError = await toApiError(error, method, path, this.apiBase);
        if (apiError.status === 401 && attempt === 0 && this.#options.getToken) continue;
        if (apiError.status === 401) this.#options.onAuthRequired?.();
        throw apiError;
      }
    }
  }
}

async function toApiError(
  error: unknown,
  method: string,
  path: string,
  apiBase: string,
): Promise<CrmApiError> {
  if (isAbortError(error)) throw error;
  if (error instanceof HTTPError) {
    const res = error.response;
    let problem: Problem | undefined;
    try {
      const parsed = Problem.safeParse(await res.json());
      if (parsed.success) problem = parsed.data;
    } catch {
      // not JSON: an HTTP error without problem details
    }
    if (problem) {
      return new CrmApiError({
        code: problem.code,
        status: res.status,
        detail: problem.detail ?? problem.title,
        fieldErrors: problem.errors ?? [],
        problem,
        cause: error,
      });
    }
    return new CrmApiError({
      code: 'http_error',
      status: res.status,
      detail: `The CRM API answered ${method.toUpperCase()} ${path} with HTTP ${res.status} ${res.statusText}.`,
      cause: error,
    });
  }
  if (error instanceof TimeoutError) {
    return new CrmApiError({
      code: 'timeout',
      status: 0,
      detail: 'The CRM API did not answer in time.',
      cause: error,
    });
  }
  if (error instanceof CrmApiError) return error;
  const refused = await refusedOrigin(apiBase);
  if (refused) {
    return new CrmApiError({
      code: 'origin_refused',
      status: 0,
      detail: `The CRM at ${refused.api} answered, but does not accept requests from this page's origin (${refused.page}). Add ${refused.page} to the server's CRM_ALLOWED_ORIGINS.`,
      cause: error,
    });
  }
  return new CrmApiError({
    code: 'network_error',
    status: 0,
    detail: 'Could not reach the CRM API: check the connection.',
    cause: error,
  });
}

/**
 * After a request that got no response: whether the API is on another origin that is up but
 * refused this page by CORS (a browser reports both as the same `TypeError`). A `no-cors`
 * request needs no CORS headers: it resolves (opaque) whenever the server answers at all, and
 * fails like the first request when the network is down.
 */
async function refusedOrigin(apiBase: string): Promise<{ api: string; page: string } | undefined> {
  const page = globalThis.location?.origin;
  if (!page || page === 'null') return undefined;
  let api: string;
  try {
    api = new URL(apiBase, page).origin;
  } catch {
    return undefined;
  }
  if (api === page) return undefined;
  try {
    await fetch(`${apiBase}/healthz`, { mode: 'no-cors', cache: 'no-store' });
    return { api, page };
  } catch {
    return undefined;
  }
}
