/**
 * Headers every API response carries (SPEC section 9): `X-Content-Type-Options: nosniff` on
 * every response, so a browser never runs a JSON or CSV body as something else, and
 * `Cache-Control: no-store` on every `/v1` response (they carry personal data, or say
 * whether it exists), unless the route chose its own.
 */
import { createMiddleware } from 'hono/factory';

export const securityHeaders = () =>
  createMiddleware(async (c, next) => {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
    if (c.req.path.startsWith('/v1/') && !c.res.headers.has('cache-control')) {
      c.res.headers.set('cache-control', 'no-store');
    }
  });
