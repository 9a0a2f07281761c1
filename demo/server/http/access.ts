/**
 * The access checks of the client endpoints, as middleware, in the order they run: the
 * bearer token (401), membership of the CRM (404: a CRM the user is not a member of does
 * not exist for them), the scope of the action (403), and the client, which must belong to
 * the CRM (404).
 */
import { createMiddleware } from 'hono/factory';
import type { Scope } from '../../../src/api/schemas.js';
import { getClientRow } from '../domain/clients.js';
import { crmAccess } from '../domain/accounts.js';
import { authenticate, requireScope } from './auth.js';
import type { ActorEnv, ClientEnv, CrmEnv, RouteDeps } from './env.js';
import { notFound } from './problem.js';

export const authenticated = ({ db, clock }: RouteDeps) =>
  createMiddleware<ActorEnv>(async (c, next) => {
    c.set(
      'actor',
      await authenticate(db, c.req.header('authorization'), clock(), c.req.header('origin')),
    );
    await next();
  });

export const crmMember = ({ db }: RouteDeps) =>
  createMiddleware<CrmEnv, '/crms/:crmId/*'>(async (c, next) => {
    const actor = c.get('actor');
    const crm = await crmAccess(db, c.req.param('crmId'), actor.id);
    // Not a member, or a CRM the site's sign-in was not given: it does not exist for them.
    if (!crm || (actor.crmIds && !actor.crmIds.has(crm.id))) throw notFound('The CRM');
    c.set('crm', crm);
    await next();
  });

/** 403 unless the token carries `scope`. Runs before the client is looked up. */
export const requires = (scope: Scope) =>
  createMiddleware<ActorEnv>(async (c, next) => {
    requireScope(c.get('actor'), scope);
    await next();
  });

/** The client of `:clientId` in the CRM, loaded once for the handler (`c.var.client`). */
export const crmClient = ({ db, clock }: RouteDeps) =>
  createMiddleware<CrmEnv & ClientEnv, '/crms/:crmId/clients/:clientId/*'>(async (c, next) => {
    c.set('client', await getClientRow(db, c.get('crm'), c.req.param('clientId'), clock()));
    await next();
  });
