/**
 * What every route module is given, and the request variables its middleware sets. A route
 * module is a Hono sub-app built by a function of `RouteDeps`, mounted by `app.ts`.
 */
import type { Db } from '../db/database.js';
import type { ClientRow } from '../domain/clients.js';
import type { Actor, CrmAccess } from '../domain/context.js';
import type { CursorCodec } from './cursor.js';

export interface RouteDeps {
  db: Db;
  /** The server clock: fixed by `CRM_NOW`, else the real time. */
  clock: () => Date;
  cursors: CursorCodec;
  /** Enables the platform endpoints; they answer 404 without it. */
  platformToken?: string | undefined;
}

/** Set by `authenticated`: the user of the bearer token. */
export interface ActorEnv {
  Variables: { actor: Actor };
}

/** Set by `crmMember` on `/crms/:crmId/*`: the CRM, as the actor may open it. */
export interface CrmEnv {
  Variables: { actor: Actor; crm: CrmAccess };
}

/** Set by `crmClient` on a client's routes: the client, loaded once per request. */
export interface ClientEnv {
  Variables: { client: ClientRow };
}
