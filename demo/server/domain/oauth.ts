/**
 * Sign-in for embedded pages (SPEC section 6): the rules of the authorization server, on the
 * database. The HTTP side (pages, forms, cookies, the token endpoint) is in
 * `http/routes/oauth.ts`.
 *
 * - A public client is an origin (`client_id`); `clientOrigin()` says which are accepted.
 * - One-time email codes: 6 digits, hashed, 10 minutes, 5 wrong tries, at most 5 per email
 *   and 30 per IP an hour. A code is recorded whether or not a user has the email (only a
 *   user's is sent), so nothing the page does tells the two apart.
 * - Sessions of the server's own pages: 14 days, by the hash of the cookie.
 * - Approvals: one live approval per (user, origin): its scopes and CRMs.
 * - Authorization codes: single use, 60 s, bound to client_id and the S256 challenge.
 * - Families: the tokens descending from one code; 8 hours from the code at most; refresh
 *   tokens rotate; a rotated one used again revokes the family, access tokens included.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { sql } from 'kysely';
import { Scope } from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import { toIso } from '../db/schema.js';
import { hashToken, newToken } from '../http/auth.js';
import { newId } from './ids.js';

export const SCOPES: readonly Scope[] = Scope.options;

/** What each scope lets a site do, in the words the consent page uses. */
export const SCOPE_WORDS: Record<Scope, string> = {
  'crm:read': 'See your clients, their bookings, tags and your private notes',
  'crm:write': 'Edit your notes and tags, and ask support to merge duplicate clients',
  'crm:message': 'Email your clients in your name',
  'crm:export': 'Download your client list as a spreadsheet (CSV)',
};

const MINUTE = 60_000;
export const LOGIN_CODE_TTL = 10 * MINUTE;
export const LOGIN_CODE_TRIES = 5;
export const LOGIN_CODES_PER_EMAIL_HOUR = 5;
export const LOGIN_CODES_PER_IP_HOUR = 30;
export const SESSION_TTL = 14 * 24 * 60 * MINUTE;
export const AUTH_CODE_TTL = MINUTE;
export const ACCESS_TOKEN_TTL = 15 * MINUTE;
export const FAMILY_TTL = 8 * 60 * MINUTE;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The normalised origin a `client_id` names, or null when it is not one a client may be:
 * exactly `scheme://host[:port]`, `https:` only except loopback hosts over `http:`.
 */
export function clientOrigin(clientId: string | undefined | null): string | null {
  if (!clientId || clientId.length > 300) return null;
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return null;
  }
  if (url.origin === 'null' || url.origin !== clientId) return null;
  if (url.username || url.password) return null;
  if (url.protocol === 'https:') return url.origin;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return url.origin;
  return null;
}

export const isLoopbackHost = (hostname: string) =>
  LOOPBACK.has(hostname) || hostname === '::1' || hostname === '[::1]';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The S256 code challenge of a verifier (RFC 7636 section 4.2). */
export const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const iso = (d: Date) => d.toISOString();
const plus = (d: Date, ms: number) => new Date(d.getTime() + ms);

// ---------------------------------------------------------------------------------------
// One-time email codes
// ---------------------------------------------------------------------------------------

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export type CodeRequestResult = 'sent' | 'limited';

/**
 * Records a new one-time code for `email` and, when a user has that email, emails it through
 * the outbox. 'limited' when the email or the IP has asked for too many codes this hour.
 */
export async function requestLoginCode(
  db: Db,
  rawEmail: string,
  ip: string,
  now: Date,
): Promise<CodeRequestResult> {
  const email = normaliseEmail(rawEmail);
  const hourAgo = iso(plus(now, -60 * MINUTE));
  return db.transaction().execute(async (trx) => {
    // Serialise requests for one email, so two at once cannot both pass the limit.
    await sql`select pg_advisory_xact_lock(hashtext(${email}))`.execute(trx);
    const counts = (
      await sql<{ by_email: number; by_ip: number }>`
        select
          (select count(*)::int from oauth_login_codes where email = ${email} and created_at > ${hourAgo}::timestamptz) as by_email,
          (select count(*)::int from oauth_login_codes where ip = ${ip} and created_at > ${hourAgo}::timestamptz) as by_ip
      `.execute(trx)
    ).rows[0]!;
    if (
      Number(counts.by_email) >= LOGIN_CODES_PER_EMAIL_HOUR ||
      Number(counts.by_ip) >= LOGIN_CODES_PER_IP_HOUR
    ) {
      return 'limited';
    }
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const id = newId('otc');
    await sql`
      insert into oauth_login_codes (id, email, ip, code_hash, created_at, expires_at)
      values (${id}, ${email}, ${ip}, ${sha256(`${id}:${code}`)}, ${iso(now)}::timestamptz,
        ${iso(plus(now, LOGIN_CODE_TTL))}::timestamptz)
    `.execute(trx);
    const user = await findUserByEmail(trx, email);
    if (user) {
      await sql`
        insert into outbox (kind, to_address, reply_to, subject, body, sent_at)
        values ('sign_in_code', ${user.email}, null, ${`${code} is your MoveMentors sign-in code`},
          ${`Hello ${user.name},\n\nYour MoveMentors sign-in code is ${code}. It works once, for 10 minutes.\n\nIf you did not ask for it, you can ignore this email: nobody can sign in without the code.`},
          ${iso(now)}::timestamptz)
      `.execute(trx);
    }
    return 'sent';
  });
}

export type CodeCheck = { ok: true; userId: string } | { ok: false; triesLeft: number };

/**
 * Checks a code typed for `email` against the latest live code. A wrong code uses up a try;
 * the fifth wrong try ends the code. An email without a user never signs in.
 */
export async function checkLoginCode(
  db: Db,
  rawEmail: string,
  typed: string,
  now: Date,
): Promise<CodeCheck> {
  const email = normaliseEmail(rawEmail);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${email}))`.execute(trx);
    const row = (
      await sql<{ id: string; code_hash: string; attempts: number }>`
        select id, code_hash, attempts from oauth_login_codes
        where email = ${email} and used_at is null and expires_at > ${iso(now)}::timestamptz
          and attempts < ${LOGIN_CODE_TRIES}
        order by created_at desc, id desc limit 1
      `.execute(trx)
    ).rows[0];
    if (!row) return { ok: false, triesLeft: 0 };
    const user = await findUserByEmail(trx, email);
    if (user && /^\d{6}$/.test(typed) && sameSecret(sha256(`${row.id}:${typed}`), row.code_hash)) {
      await sql`update oauth_login_codes set used_at = ${iso(now)}::timestamptz where id = ${row.id}`.execute(
        trx,
      );
      return { ok: true, userId: user.id };
    }
    const attempts = Number(row.attempts) + 1;
    await sql`update oauth_login_codes set attempts = ${attempts} where id = ${row.id}`.execute(
      trx,
    );
    return { ok: false, triesLeft: Math.max(0, LOGIN_CODE_TRIES - attempts) };
  });
}

async function findUserByEmail(db: Db, email: string) {
  return (
    await sql<{ id: string; name: string; email: string }>`
      select id, name, email from users where lower(trim(email)) = ${email} order by created_at, id limit 1
    `.execute(db)
  ).rows[0];
}

// ---------------------------------------------------------------------------------------
// Sessions of the server's pages
// ---------------------------------------------------------------------------------------

export interface SessionUser {
  id: string;
  name: string;
  email: string;
}

/** A new session for `userId`: the cookie value (shown once) and its expiry. */
export async function createSession(db: Db, userId: string, now: Date) {
  const value = randomBytes(32).toString('base64url');
  const expiresAt = plus(now, SESSION_TTL);
  await sql`
    insert into oauth_sessions (id_hash, user_id, created_at, expires_at)
    values (${sha256(value)}, ${userId}, ${iso(now)}::timestamptz, ${iso(expiresAt)}::timestamptz)
  `.execute(db);
  return { value, expiresAt };
}

export async function sessionUser(
  db: Db,
  value: string | undefined,
  now: Date,
): Promise<SessionUser | undefined> {
  if (!value || value.length > 100) return undefined;
  return (
    await sql<SessionUser>`
      select u.id, u.name, u.email from oauth_sessions s join users u on u.id = s.user_id
      where s.id_hash = ${sha256(value)} and s.expires_at > ${iso(now)}::timestamptz
    `.execute(db)
  ).rows[0];
}

export async function endSession(db: Db, value: string | undefined): Promise<void> {
  if (!value) return;
  await sql`delete from oauth_sessions where id_hash = ${sha256(value)}`.execute(db);
}

// ---------------------------------------------------------------------------------------
// CRMs and approvals
// ---------------------------------------------------------------------------------------

export interface CrmChoice {
  id: string;
  name: string;
  kind: 'mentor' | 'studio';
}

/** The CRMs a user can open, owner's first (as `/v1/me` orders them). */
export async function userCrms(db: Db, userId: string): Promise<CrmChoice[]> {
  return (
    await sql<CrmChoice>`
      select k.id, k.name, k.kind from memberships m join crms k on k.id = m.crm_id
      where m.user_id = ${userId}
      order by (m.role = 'owner') desc, k.kind, k.name, k.id
    `.execute(db)
  ).rows;
}

export interface Approval {
  id: string;
  userId: string;
  origin: string;
  scopes: Scope[];
  crmIds: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

interface ApprovalRow {
  id: string;
  user_id: string;
  origin: string;
  scopes: string[];
  crm_ids: string[];
  created_at: Date | string;
  last_used_at: Date | string | null;
}

const toApproval = (r: ApprovalRow): Approval => ({
  id: r.id,
  userId: r.user_id,
  origin: r.origin,
  scopes: r.scopes as Scope[],
  crmIds: r.crm_ids,
  createdAt: toIso(r.created_at)!,
  lastUsedAt: toIso(r.last_used_at),
});

/** The user's live approval of `origin`, if any. */
export async function liveApproval(
  db: Db,
  userId: string,
  origin: string,
): Promise<Approval | undefined> {
  const row = (
    await sql<ApprovalRow>`
      select * from oauth_approvals
      where user_id = ${userId} and origin = ${origin} and revoked_at is null
    `.execute(db)
  ).rows[0];
  return row ? toApproval(row) : undefined;
}

/** True when some user's approval of `origin` is live: the API then answers its CORS. */
export async function originApproved(db: Db, origin: string): Promise<boolean> {
  const r = await sql`
    select 1 from oauth_approvals where origin = ${origin} and revoked_at is null limit 1
  `.execute(db);
  return r.rows.length > 0;
}

/** Records (or replaces) the user's approval of `origin` for these scopes and CRMs. */
export async function approve(
  db: Db,
  userId: string,
  origin: string,
  scopes: readonly Scope[],
  crmIds: readonly string[],
  now: Date,
): Promise<Approval> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`${userId} ${origin}`}))`.execute(trx);
    const existing = (
      await sql<{ id: string }>`
        select id from oauth_approvals
        where user_id = ${userId} and origin = ${origin} and revoked_at is null
      `.execute(trx)
    ).rows[0];
    const id = existing?.id ?? newId('apr');
    if (existing) {
      await sql`
        update oauth_approvals set scopes = ${[...scopes]}::text[], crm_ids = ${[...crmIds]}::text[]
        where id = ${id}
      `.execute(trx);
    } else {
      await sql`
        insert into oauth_approvals (id, user_id, origin, scopes, crm_ids, created_at)
        values (${id}, ${userId}, ${origin}, ${[...scopes]}::text[], ${[...crmIds]}::text[],
          ${iso(now)}::timestamptz)
      `.execute(trx);
    }
    const row = (
      await sql<ApprovalRow>`select * from oauth_approvals where id = ${id}`.execute(trx)
    ).rows[0]!;
    return toApproval(row);
  });
}

/** The user's live approvals with their CRMs' names (`GET /v1/me/authorizations`). */
export async function listApprovals(db: Db, userId: string, onlyId?: string) {
  const rows = (
    await sql<ApprovalRow>`
      select * from oauth_approvals
      where user_id = ${userId} and revoked_at is null and (${onlyId ?? null}::text is null or id = ${onlyId ?? null})
      order by created_at desc, id
    `.execute(db)
  ).rows;
  const names = new Map((await userCrms(db, userId)).map((c) => [c.id, c.name]));
  return rows.map((r) => {
    const a = toApproval(r);
    return {
      id: a.id,
      origin: a.origin,
      scopes: a.scopes,
      crms: a.crmIds.filter((id) => names.has(id)).map((id) => ({ id, name: names.get(id)! })),
      createdAt: a.createdAt,
      lastUsedAt: a.lastUsedAt,
    };
  });
}

/** Revokes an approval and every token descending from it. False when there is none. */
export async function revokeApproval(
  db: Db,
  userId: string,
  approvalId: string,
  now: Date,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await sql<{ id: string }>`
      update oauth_approvals set revoked_at = ${iso(now)}::timestamptz
      where id = ${approvalId} and user_id = ${userId} and revoked_at is null returning id
    `.execute(trx);
    if (!r.rows.length) return false;
    await sql`
      update oauth_families set revoked_at = ${iso(now)}::timestamptz
      where approval_id = ${approvalId} and revoked_at is null
    `.execute(trx);
    await sql`
      delete from tokens where family_id in (select id from oauth_families where approval_id = ${approvalId})
    `.execute(trx);
    return true;
  });
}

// ---------------------------------------------------------------------------------------
// Authorization codes and token families
// ---------------------------------------------------------------------------------------

/** A new authorization code for an approval (shown once). */
export async function issueCode(
  db: Db,
  approval: Approval,
  clientId: string,
  codeChallenge: string,
  scopes: readonly Scope[],
  crmIds: readonly string[],
  now: Date,
): Promise<string> {
  const code = randomBytes(32).toString('base64url');
  await sql`
    insert into oauth_codes (code_hash, approval_id, client_id, code_challenge, scopes, crm_ids,
      created_at, expires_at)
    values (${sha256(code)}, ${approval.id}, ${clientId}, ${codeChallenge}, ${[...scopes]}::text[],
      ${[...crmIds]}::text[], ${iso(now)}::timestamptz, ${iso(plus(now, AUTH_CODE_TTL))}::timestamptz)
  `.execute(db);
  await sql`update oauth_approvals set last_used_at = ${iso(now)}::timestamptz where id = ${approval.id}`.execute(
    db,
  );
  return code;
}

/** An RFC 6749 section 5.2 error. */
export class OAuthError extends Error {
  constructor(
    readonly error:
      | 'invalid_request'
      | 'invalid_client'
      | 'invalid_grant'
      | 'unsupported_grant_type'
      | 'invalid_scope',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
  ) {
    super(description);
  }
}

export interface TokenSet {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

interface FamilyGrant {
  familyId: string;
  userId: string;
  origin: string;
  scopes: string[];
  crmIds: string[];
  familyExpiresAt: Date;
}

/** Mints an access token and a refresh token in a family. */
async function mint(db: Db, g: FamilyGrant, now: Date): Promise<TokenSet> {
  const access = newToken();
  const refresh = `mmrt_${randomBytes(32).toString('base64url')}`;
  const accessExpires = new Date(
    Math.min(now.getTime() + ACCESS_TOKEN_TTL, g.familyExpiresAt.getTime()),
  );
  await sql`
    insert into tokens (token_hash, user_id, scopes, expires_at, family_id, origin, crm_ids)
    values (${hashToken(access)}, ${g.userId}, ${g.scopes}::text[], ${iso(accessExpires)}::timestamptz,
      ${g.familyId}, ${g.origin}, ${g.crmIds}::text[])
  `.execute(db);
  await sql`
    insert into oauth_refresh_tokens (token_hash, family_id, created_at)
    values (${hashToken(refresh)}, ${g.familyId}, ${iso(now)}::timestamptz)
  `.execute(db);
  return {
    access_token: access,
    token_type: 'Bearer',
    expires_in: Math.max(0, Math.round((accessExpires.getTime() - now.getTime()) / 1000)),
    refresh_token: refresh,
    scope: g.scopes.join(' '),
  };
}

async function revokeFamily(db: Db, familyId: string, now: Date) {
  await sql`
    update oauth_families set revoked_at = ${iso(now)}::timestamptz
    where id = ${familyId} and revoked_at is null
  `.execute(db);
  await sql`delete from tokens where family_id = ${familyId}`.execute(db);
}

/** The `authorization_code` grant. `origin` is the request's `Origin` header. */
export async function exchangeCode(
  db: Db,
  input: { code: string; verifier: string; clientId: string; origin: string | undefined },
  now: Date,
): Promise<TokenSet> {
  // The outcome of a reuse (revoking what the code issued) must stick, so it is decided in
  // its own transaction and the error thrown after it commits.
  let failure: OAuthError | undefined;
  const tokens = await db.transaction().execute(async (trx) => {
    const row = (
      await sql<{
        approval_id: string;
        client_id: string;
        code_challenge: string;
        scopes: string[];
        crm_ids: string[];
        created_at: Date | string;
        expires_at: Date | string;
        used_at: Date | string | null;
        family_id: string | null;
        user_id: string;
        approval_revoked: Date | string | null;
      }>`
        select c.*, a.user_id, a.revoked_at as approval_revoked
        from oauth_codes c join oauth_approvals a on a.id = c.approval_id
        where c.code_hash = ${sha256(input.code)} for update of c
      `.execute(trx)
    ).rows[0];
    if (!row) {
      failure = new OAuthError('invalid_grant', 'The authorization code is not valid');
      return undefined;
    }
    if (row.used_at) {
      // A code used twice: someone else may have it. What it issued is revoked.
      if (row.family_id) await revokeFamily(trx, row.family_id, now);
      failure = new OAuthError('invalid_grant', 'The authorization code was already used');
      return undefined;
    }
    if (new Date(row.expires_at).getTime() <= now.getTime()) {
      failure = new OAuthError('invalid_grant', 'The authorization code has expired');
      return undefined;
    }
    if (input.clientId !== row.client_id) {
      failure = new OAuthError('invalid_client', 'The code was issued to another client_id');
      return undefined;
    }
    if (input.origin !== row.client_id) {
      failure = new OAuthError('invalid_client', 'The request must come from the client origin');
      return undefined;
    }
    if (!sameSecret(s256(input.verifier), row.code_challenge)) {
      failure = new OAuthError('invalid_grant', 'The code_verifier does not match the challenge');
      return undefined;
    }
    if (row.approval_revoked) {
      failure = new OAuthError('invalid_grant', 'The approval was revoked');
      return undefined;
    }
    const familyId = newId('fam');
    const familyExpiresAt = plus(new Date(row.created_at), FAMILY_TTL);
    await sql`
      insert into oauth_families (id, approval_id, origin, created_at, expires_at)
      values (${familyId}, ${row.approval_id}, ${row.client_id}, ${iso(now)}::timestamptz,
        ${iso(familyExpiresAt)}::timestamptz)
    `.execute(trx);
    await sql`
      update oauth_codes set used_at = ${iso(now)}::timestamptz, family_id = ${familyId}
      where code_hash = ${sha256(input.code)}
    `.execute(trx);
    return mint(
      trx,
      {
        familyId,
        userId: row.user_id,
        origin: row.client_id,
        scopes: row.scopes,
        crmIds: row.crm_ids,
        familyExpiresAt,
      },
      now,
    );
  });
  if (failure) throw failure;
  return tokens!;
}

/** The `refresh_token` grant: rotation, reuse detection, the family's origin and lifetime. */
export async function refresh(
  db: Db,
  input: { refreshToken: string; clientId: string | undefined; origin: string | undefined },
  now: Date,
): Promise<TokenSet> {
  let failure: OAuthError | undefined;
  const tokens = await db.transaction().execute(async (trx) => {
    const row = (
      await sql<{
        family_id: string;
        used_at: Date | string | null;
        origin: string;
        expires_at: Date | string;
        revoked_at: Date | string | null;
        user_id: string;
        scopes: string[];
        crm_ids: string[];
        approval_revoked: Date | string | null;
      }>`
        select r.family_id, r.used_at, f.origin, f.expires_at, f.revoked_at, a.user_id,
          c.scopes, c.crm_ids, a.revoked_at as approval_revoked
        from oauth_refresh_tokens r
          join oauth_families f on f.id = r.family_id
          join oauth_approvals a on a.id = f.approval_id
          join oauth_codes c on c.family_id = f.id
        where r.token_hash = ${hashToken(input.refreshToken)} for update of r, f
      `.execute(trx)
    ).rows[0];
    if (!row) {
      failure = new OAuthError('invalid_grant', 'The refresh token is not valid');
      return undefined;
    }
    if (input.clientId !== undefined && input.clientId !== row.origin) {
      failure = new OAuthError('invalid_client', 'The refresh token was issued to another client');
      return undefined;
    }
    if (input.origin !== row.origin) {
      failure = new OAuthError(
        'invalid_grant',
        'A refresh must come from the origin it was issued to',
      );
      return undefined;
    }
    if (row.revoked_at || row.approval_revoked) {
      failure = new OAuthError('invalid_grant', 'The refresh token was revoked');
      return undefined;
    }
    if (row.used_at) {
      await revokeFamily(trx, row.family_id, now);
      failure = new OAuthError('invalid_grant', 'The refresh token was already used');
      return undefined;
    }
    const familyExpiresAt = new Date(row.expires_at);
    if (familyExpiresAt.getTime() <= now.getTime()) {
      failure = new OAuthError('invalid_grant', 'The sign-in has expired: sign in again');
      return undefined;
    }
    await sql`
      update oauth_refresh_tokens set used_at = ${iso(now)}::timestamptz
      where token_hash = ${hashToken(input.refreshToken)}
    `.execute(trx);
    return mint(
      trx,
      {
        familyId: row.family_id,
        userId: row.user_id,
        origin: row.origin,
        scopes: row.scopes,
        crmIds: row.crm_ids,
        familyExpiresAt,
      },
      now,
    );
  });
  if (failure) throw failure;
  return tokens!;
}

/**
 * RFC 7009 revocation by a public client: a refresh token revokes its family (and so every
 * access token of it); an access token is revoked on its own. Unknown tokens are ignored.
 * A token issued to another origin than `origin` is left alone.
 */
export async function revokeToken(
  db: Db,
  token: string,
  origin: string | undefined,
  now: Date,
): Promise<void> {
  const hash = hashToken(token);
  const family = (
    await sql<{ family_id: string; origin: string }>`
      select r.family_id, f.origin from oauth_refresh_tokens r join oauth_families f on f.id = r.family_id
      where r.token_hash = ${hash}
    `.execute(db)
  ).rows[0];
  if (family) {
    if (origin === undefined || origin === family.origin) {
      await db.transaction().execute((trx) => revokeFamily(trx, family.family_id, now));
    }
    return;
  }
  await sql`
    delete from tokens where token_hash = ${hash} and origin is not null
      and (${origin ?? null}::text is null or origin = ${origin ?? null})
  `.execute(db);
}
