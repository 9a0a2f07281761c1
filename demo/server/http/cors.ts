/**
 * CORS for pages that embed the elements on other origins: an explicit allow-list (never
 * `*`), plus every origin a user has approved through sign-in while that approval is live
 * (`approved`, asked per request so that a revocation takes effect at once), `Vary: Origin`
 * on every response, preflights answered here. No credentials: the API uses bearer tokens,
 * not cookies.
 */
import type { MiddlewareHandler } from 'hono';

const ALLOW_HEADERS = 'Authorization, Content-Type, If-Match';
const EXPOSE_HEADERS = 'ETag, Content-Disposition, Location, Retry-After';
const ALLOW_METHODS = 'GET, PUT, POST, DELETE, OPTIONS';

export function cors(
  allowedOrigins: readonly string[],
  approved: (origin: string) => Promise<boolean> = async () => false,
): MiddlewareHandler {
  const allowed = new Set(allowedOrigins.map((o) => o.replace(/\/+$/, '')));
  return async (c, next) => {
    const origin = c.req.header('origin');
    const ok = origin !== undefined && (allowed.has(origin) || (await approved(origin)));
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      const headers = new Headers({ vary: 'Origin' });
      if (ok) {
        headers.set('access-control-allow-origin', origin);
        headers.set('access-control-allow-methods', ALLOW_METHODS);
        headers.set('access-control-allow-headers', ALLOW_HEADERS);
        headers.set('access-control-max-age', '600');
      }
      return new Response(null, { status: 204, headers });
    }
    await next();
    c.res.headers.append('vary', 'Origin');
    if (ok) {
      c.res.headers.set('access-control-allow-origin', origin);
      c.res.headers.set('access-control-expose-headers', EXPOSE_HEADERS);
    }
  };
}
