/**
 * Sessions and rosters (SPEC section 7), mounted by the client routes at
 * `/crms/:crmId/sessions`, behind their token and membership checks.
 */
import { Hono } from 'hono';
import { SessionListQuery } from '../../../../src/api/requests.js';
import {
  sessionCursorKey,
  sessionDetail,
  sessionPage,
  sessionRange,
} from '../../domain/sessions.js';
import { requires } from '../access.js';
import type { CrmEnv, RouteDeps } from '../env.js';
import { parseOr400 } from '../validate.js';

export function sessionRoutes({ db, clock, cursors }: RouteDeps): Hono<CrmEnv> {
  const app = new Hono<CrmEnv>();

  app.get('/', requires('crm:read'), async (c) => {
    const crm = c.get('crm');
    const query = parseOr400(SessionListQuery, c.req.query());
    const now = clock();
    // The range as asked (from and to may default to now): a cursor carries the range of its
    // first page, so that the next page of "the next 7 days" is of the same 7 days.
    const scope = {
      kind: 'sessions' as const,
      query: {
        crm: crm.id,
        from: query.from ? new Date(query.from).toISOString() : null,
        to: query.to ? new Date(query.to).toISOString() : null,
        teacher: query.teacher ?? null,
      },
    };
    const continued = query.cursor
      ? sessionCursorKey(cursors.decode(query.cursor, scope))
      : undefined;
    const range = continued?.range ?? sessionRange(query.from, query.to, now);
    const page = await sessionPage(
      db,
      crm,
      { range, teacher: query.teacher, after: continued?.after },
      query.limit,
      now,
    );
    const rangeKey = [range.from.toISOString(), range.to.toISOString()];
    c.header('cache-control', 'no-store');
    return c.json({
      items: page.items,
      nextCursor: page.next ? cursors.encode(scope, [...page.next, ...rangeKey]) : null,
    });
  });

  app.get('/:sessionId', requires('crm:read'), async (c) => {
    c.header('cache-control', 'no-store');
    return c.json(await sessionDetail(db, c.get('crm'), c.req.param('sessionId'), clock()));
  });

  return app;
}
