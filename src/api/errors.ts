/**
 * The one error type of the API client. Whatever went wrong (a problem-details response, a
 * response that does not match the contract, the network, a timeout, no token), callers get
 * a `CrmApiError` with a stable `code`, the HTTP `status` (0 when no response arrived), a
 * human `detail` and the offending fields of a 400.
 */
import type { FieldError, Note, Problem } from './schemas.js';

/** Codes the client adds to the API's own (`invalid_request`, `not_found`, ...). */
export type ClientErrorCode =
  /** No response: offline, DNS, connection dropped. */
  | 'network_error'
  /** The API (on another origin) answers, but its CORS allow-list refuses this page. */
  | 'origin_refused'
  /** No response within the client's timeout. */
  | 'timeout'
  /** A response arrived but does not match the contract (schema mismatch, not JSON). */
  | 'invalid_response'
  /** An HTTP error without problem details (a proxy's 502 page, say). */
  | 'http_error'
  /** No token was configured: no request was sent. */
  | 'no_token';

export class CrmApiError extends Error {
  override readonly name = 'CrmApiError';
  /** Stable code: an API code (`version_conflict`, ...) or a `ClientErrorCode`. */
  readonly code: string;
  /** HTTP status; 0 when no response arrived. */
  readonly status: number;
  /** Human-readable explanation. */
  readonly detail: string;
  /** The offending fields of a 400 `invalid_request`. */
  readonly fieldErrors: FieldError[];
  /** The full problem details, when the server sent them. */
  readonly problem: Problem | undefined;

  constructor(init: {
    code: string;
    status: number;
    detail: string;
    fieldErrors?: FieldError[];
    problem?: Problem;
    cause?: unknown;
  }) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.detail = init.detail;
    this.fieldErrors = init.fieldErrors ?? [];
    this.problem = init.problem;
  }

  /** The current note sent with a 412 `version_conflict`. */
  get currentNote(): Note | undefined {
    return this.problem?.current;
  }

  /** True when no response arrived (offline, dropped connection, timeout). */
  get isNetwork(): boolean {
    return this.code === 'network_error' || this.code === 'timeout';
  }
}

export const isCrmApiError = (e: unknown): e is CrmApiError => e instanceof CrmApiError;

/** True for the abort of a request whose caller no longer wants it (not an error to show). */
export const isAbortError = (e: unknown): boolean =>
  (e instanceof DOMException || e instanceof Error) && e.name === 'AbortError';
