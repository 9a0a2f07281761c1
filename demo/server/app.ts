/**
 * The CRM HTTP API (SPEC section 3) as a Hono app: what every response shares (problem
 * details for every error, CORS, the body limit) and where each area's routes are mounted.
 * The routes are in `http/routes/`, the rules and queries they call in `domain/`.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from './db/database.js';
import { clientOrigin, originApproved } from './domain/oauth.js';
import { cors } from './http/cors.js';
import { CursorCodec } from './http/cursor.js';
import type { RouteDeps } from './http/env.js';
import { logFailure } from './http/log.js';
import { rejectNul } from './http/nul.js';
import { ApiError, invalid, notFound } from './http/problem.js';
import { authFailureLimit } from './http/rate-limit.js';
import { securityHeaders } from './http/security-headers.js';
import { clientRoutes } from './http/routes/clients.js';
import { healthRoutes } from './http/routes/health.js';
import { oauthRoutes, type DemoSignInUser } from './http/routes/oauth.js';
import { platformRoutes } from './http/routes/platform.js';

export interface AppOptions {
  db: Db;
  /** The server clock: fixed by `CRM_NOW`, else the real time. */
  clock: () => Date;
  platformToken?: string | undefined;
  allowedOrigins?: readonly string[] | undefined;
  /** HMAC secret of pagination cursors; random per process when absent. */
  cursorSecret?: string | undefined;
  /** The dev server's one-click "Sign in as a demo user" on the sign-in page (`npm start`). */
  demoSignIn?: readonly DemoSignInUser[] | undefined;
  /**
   * Failed authentications per client IP and minute before its requests get 429
   * (`CRM_AUTH_FAILURES_PER_MINUTE`); 0 turns the limit off. Default 100.
   */
  authFailuresPerMinute?: number | undefined;
}

export function createApp(options: AppOptions): Hono {
  const deps: RouteDeps = {
    db: options.db,
    clock: options.clock,
    cursors: new CursorCodec(options.cursorSecret),
    platformToken: options.platformToken,
  };
  const app = new Hono();

  app.onError((err, c) => {
    if (err instanceof ApiError) return err.toResponse();
    if (err instanceof Error && 'getResponse' in err && typeof err.getResponse === 'function') {
      const res = err.getResponse() as Response;
      if (res.status === 413) {
        return new ApiError(413, 'invalid_request', 'The request body is too large').toResponse();
      }
    }
    const code = (err as { code?: unknown }).code;
    // Text PostgreSQL cannot store (a NUL a check missed): the client's input, not our fault.
    if (code === '22021' || code === '22P05') {
      return invalid(
        [],
        'The request contains a character the database cannot store (U+0000)',
      ).toResponse();
    }
    // The client went away mid-request: nobody to answer, nothing to report.
    if (
      c.req.raw.signal.aborted ||
      (code === 'ECONNRESET' && (err as Error).message === 'aborted')
    ) {
      return new ApiError(400, 'invalid_request', 'The request was aborted').toResponse();
    }
    logFailure(c.req.method, c.req.routePath, err);
    return new ApiError(500, 'internal', 'Something went wrong on our side').toResponse();
  });
  app.notFound((c) => notFound(`${c.req.method} ${c.req.path}`).toResponse());

  app.use('*', securityHeaders());
  // CORS: the configured origins, and every origin with a live sign-in approval (SPEC 6).
  app.use(
    '*',
    cors(options.allowedOrigins ?? [], async (origin) => {
      const client = clientOrigin(origin);
      return client !== null && (await originApproved(options.db, client));
    }),
  );
  app.use('*', rejectNul());
  const authLimit = authFailureLimit(options.authFailuresPerMinute ?? 100);
  app.use('/v1/*', authLimit);
  app.use('/oauth/*', authLimit);
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: () => {
        throw new ApiError(413, 'invalid_request', 'The request body is too large');
      },
    }),
  );

  app.route('/v1/platform', platformRoutes(deps));
  app.route('/v1', clientRoutes(deps));
  app.route('/', healthRoutes(deps));
  app.route('/', oauthRoutes({ db: deps.db, clock: deps.clock, demoUsers: options.demoSignIn }));

  return app;
}
