/**
 * The platform endpoints (SPEC section 3): the booking system's side, and what the tests and
 * the seed use. Mounted under `/v1/platform`; they exist only when the server has a platform
 * token, and answer only to it.
 */
import { Hono } from 'hono';
import {
  PlatformBookingUpsert,
  PlatformCrmCreate,
  PlatformErasureCreate,
  PlatformMemberCreate,
  PlatformTokenCreate,
  PlatformUserCreate,
} from '../../../../src/api/requests.js';
import { addTeacher, createCrm, createUser, issueToken } from '../../domain/accounts.js';
import { upsertBooking } from '../../domain/bookings.js';
import { eraseEmail, outbox } from '../../domain/messaging.js';
import { isPlatformToken } from '../auth.js';
import type { RouteDeps } from '../env.js';
import { methodNotAllowed } from '../methods.js';
import { ApiError, invalid, notFound } from '../problem.js';
import { jsonBody, parseOr400 } from '../validate.js';

export function platformRoutes({ db, clock, platformToken }: RouteDeps): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    if (!platformToken) throw notFound(`${c.req.method} ${c.req.path}`);
    if (!isPlatformToken(c.req.header('authorization'), platformToken)) {
      throw new ApiError(401, 'unauthenticated', 'Send the platform token as a bearer token', {
        headers: { 'www-authenticate': 'Bearer realm="platform"' },
      });
    }
    await next();
  });

  app.post('/users', async (c) => {
    const body = parseOr400(PlatformUserCreate, await jsonBody(c.req.raw));
    return c.json(await createUser(db, body), 201);
  });

  app.post('/crms', async (c) => {
    const body = parseOr400(PlatformCrmCreate, await jsonBody(c.req.raw));
    return c.json(await createCrm(db, body), 201);
  });

  app.post('/crms/:crmId/members', async (c) => {
    const body = parseOr400(PlatformMemberCreate, await jsonBody(c.req.raw));
    await addTeacher(db, c.req.param('crmId'), body.userId);
    return c.body(null, 204);
  });

  app.post('/tokens', async (c) => {
    const body = parseOr400(PlatformTokenCreate, await jsonBody(c.req.raw));
    return c.json(await issueToken(db, body.userId, body.scopes, body.ttlSeconds, clock()), 201);
  });

  app.put('/bookings/:bookingId', async (c) => {
    const bookingId = c.req.param('bookingId');
    if (bookingId.length > 100) throw invalid([{ path: 'bookingId', message: 'Too long' }]);
    const body = parseOr400(PlatformBookingUpsert, await jsonBody(c.req.raw));
    return c.json(await upsertBooking(db, bookingId, body, clock()));
  });

  app.post('/erasures', async (c) => {
    const body = parseOr400(PlatformErasureCreate, await jsonBody(c.req.raw));
    return c.json(await eraseEmail(db, body.email, clock()));
  });

  app.get('/outbox', async (c) => c.json({ items: await outbox(db) }));

  methodNotAllowed(app);
  return app;
}
