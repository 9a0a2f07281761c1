/** `GET /healthz`: the server answers and its database does. */
import { Hono } from 'hono';
import { sql } from 'kysely';
import type { RouteDeps } from '../env.js';
import { methodNotAllowed } from '../methods.js';

export function healthRoutes({ db }: RouteDeps): Hono {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    // A round trip to the database, whichever it is: no table needed.
    const r = await sql<{ ok: number }>`select 1 as ok`.execute(db);
    return c.json({ ok: Number(r.rows[0]?.ok) === 1 });
  });
  methodNotAllowed(app);
  return app;
}
