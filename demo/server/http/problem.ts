/**
 * RFC 9457 problem details: every error the server answers, including unknown routes and
 * unexpected failures, is `application/problem+json` with `status`, `title`, `detail` and a
 * stable `code`.
 */
import type { ErrorCode, FieldError, Note, Problem } from '../../../src/api/schemas.js';

const TITLES: Record<ErrorCode, string> = {
  invalid_request: 'Invalid request',
  unauthenticated: 'Authentication required',
  insufficient_scope: 'Insufficient scope',
  not_found: 'Not found',
  version_conflict: 'Version conflict',
  precondition_required: 'Precondition required',
  method_not_allowed: 'Method not allowed',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal: 'Internal server error',
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: {
      errors?: FieldError[];
      current?: Note;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail);
  }

  toProblem(): Problem {
    return {
      type: `https://movementors.example/problems/${this.code.replaceAll('_', '-')}`,
      title: TITLES[this.code],
      status: this.status,
      detail: this.detail,
      code: this.code,
      ...(this.extra.errors ? { errors: this.extra.errors } : {}),
      ...(this.extra.current ? { current: this.extra.current } : {}),
    };
  }

  toResponse(): Response {
    return new Response(JSON.stringify(this.toProblem()), {
      status: this.status,
      headers: { 'content-type': 'application/problem+json', ...this.extra.headers },
    });
  }
}

export const invalid = (errors: FieldError[], detail?: string) =>
  new ApiError(
    400,
    'invalid_request',
    detail ?? errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '),
    { errors },
  );

export const notFound = (what = 'The resource') =>
  new ApiError(404, 'not_found', `${what} does not exist or is not visible to you`);
