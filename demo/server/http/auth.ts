/**
 * Bearer tokens. A token is 256 random bits shown once; the database keeps only its SHA-256,
 * so a leaked database does not leak tokens. Expiry is checked against the server clock
 * (`CRM_NOW` when fixed). The platform token is compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import type { Actor } from '../domain/context.js';
import { ApiError } from './problem.js';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const newToken = () => `mmcrm_${randomBytes(32).toString('base64url')}`;

export function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

const unauthenticated = (detail: string) =>
  new ApiError(401, 'unauthenticated', detail, {
    headers: { 'www-authenticate': 'Bearer realm="crm"' },
  });

/**
 * The user and scopes of a bearer token. A token minted by `/oauth/token` is bound to its
 * site: sent with another `Origin` it is refused (a server-side caller sends none).
 */
export async function authenticate(
  db: Db,
  header: string | undefined,
  now: Date,
  origin?: string,
): Promise<Actor> {
  const token = bearer(header);
  if (!token) throw unauthenticated('Send Authorization: Bearer <token>');
  const row = await db
    .selectFrom('tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .leftJoin('oauth_families as f', 'f.id', 't.family_id')
    .select([
      'u.id',
      'u.name',
      'u.email',
      't.scopes',
      't.expires_at',
      't.origin',
      't.crm_ids',
      'f.approval_id',
    ])
    .where('t.token_hash', '=', hashToken(token))
    .executeTakeFirst();
  if (!row) throw unauthenticated('The token is not valid');
  if (new Date(row.expires_at).getTime() <= now.getTime()) {
    throw unauthenticated('The token has expired');
  }
  if (row.origin !== null && origin !== undefined && origin !== row.origin) {
    throw unauthenticated('This token was issued to another site');
  }
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    scopes: new Set(row.scopes as Scope[]),
    ...(row.origin !== null
      ? { crmIds: new Set(row.crm_ids ?? []), approvalId: row.approval_id ?? undefined }
      : {}),
  };
}

export function requireScope(actor: Actor, scope: Scope) {
  if (!actor.scopes.has(scope)) {
    throw new ApiError(403, 'insufficient_scope', `This needs a token with the ${scope} scope`, {
      headers: {
        'www-authenticate': `Bearer realm="crm", error="insufficient_scope", scope="${scope}"`,
      },
    });
  }
}

/** Constant-time comparison of the presented platform token with the configured one. */
export function isPlatformToken(header: string | undefined, platformToken: string): boolean {
  const token = bearer(header);
  if (!token) return false;
  const a = createHash('sha256').update(token).digest();
  const b = createHash('sha256').update(platformToken).digest();
  return timingSafeEqual(a, b);
}
