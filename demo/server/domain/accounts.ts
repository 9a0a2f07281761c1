/**
 * Users, CRMs, memberships and tokens: what the platform creates, and who may open which
 * CRM. Plain queries over the typed schema (`db/schema.ts`), so a renamed column is a type
 * error here.
 */
import type { CrmKind, CrmSummary, Scope, UserRef } from '../../../src/api/schemas.js';
import type { Db } from '../db/database.js';
import { hashToken, newToken } from '../http/auth.js';
import { invalid, notFound } from '../http/problem.js';
import type { CrmAccess } from './context.js';
import { newId } from './ids.js';

/** The CRM as `userId` may open it (with their role), or undefined when they are not a member. */
export async function crmAccess(
  db: Db,
  crmId: string,
  userId: string,
): Promise<CrmAccess | undefined> {
  const row = await db
    .selectFrom('crms as k')
    .innerJoin('memberships as m', 'm.crm_id', 'k.id')
    .select([
      'k.id',
      'k.kind',
      'k.name',
      'k.currency',
      'k.time_zone as timeZone',
      'k.owner_user_id',
      'm.role',
    ])
    .where('k.id', '=', crmId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { owner_user_id: ownerUserId, ...rest } = row;
  return { ...rest, ownerUserId };
}

/** The CRMs a user can open (`GET /v1/me`): the ones they own first. */
export async function crmsOf(db: Db, userId: string): Promise<CrmSummary[]> {
  return db
    .selectFrom('memberships as m')
    .innerJoin('crms as k', 'k.id', 'm.crm_id')
    .select(['k.id', 'k.kind', 'k.name', 'm.role', 'k.currency', 'k.time_zone as timeZone'])
    .where('m.user_id', '=', userId)
    .orderBy((eb) => eb('m.role', '=', 'owner'), 'desc')
    .orderBy('k.kind')
    .orderBy('k.name')
    .orderBy('k.id')
    .execute();
}

/**
 * The members who teach (the studio's teacher filter): a studio's teachers and any member
 * with bookings in it (an owner who teaches too); in a mentor CRM, its owner.
 */
export async function teachers(db: Db, crm: CrmAccess): Promise<UserRef[]> {
  let query = db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name'])
    .where('m.crm_id', '=', crm.id);
  if (crm.kind === 'studio') {
    query = query.where((eb) =>
      eb.or([
        eb('m.role', '=', 'teacher'),
        eb.exists(
          eb
            .selectFrom('bookings as b')
            .select('b.id')
            .whereRef('b.crm_id', '=', 'm.crm_id')
            .whereRef('b.teacher_user_id', '=', 'm.user_id'),
        ),
      ]),
    );
  }
  return query.orderBy('u.name').orderBy('u.id').execute();
}

/** A user; `id` is the seed's fixed one, else a new one. */
export async function createUser(db: Db, user: { name: string; email: string }, id = newId('usr')) {
  await db.insertInto('users').values({ id, name: user.name, email: user.email }).execute();
  return { id };
}

/** A 400 naming `field` unless the user exists. */
async function requireUser(db: Db, userId: string, field: string) {
  const user = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) throw invalid([{ path: field, message: 'No such user' }]);
}

/** A CRM and its owner's membership, in one transaction; `id` as for `createUser`. */
export async function createCrm(
  db: Db,
  crm: { kind: CrmKind; name: string; ownerUserId: string; currency: string; timeZone?: string },
  id = newId('crm'),
) {
  await requireUser(db, crm.ownerUserId, 'ownerUserId');
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('crms')
      .values({
        id,
        kind: crm.kind,
        name: crm.name,
        owner_user_id: crm.ownerUserId,
        currency: crm.currency,
        time_zone: crm.timeZone ?? 'UTC',
      })
      .execute();
    await trx
      .insertInto('memberships')
      .values({ crm_id: id, user_id: crm.ownerUserId, role: 'owner' })
      .execute();
  });
  return { id };
}

/** Adds a teacher to a studio CRM; adding one twice changes nothing. */
export async function addTeacher(db: Db, crmId: string, userId: string) {
  const crm = await db.selectFrom('crms').select('kind').where('id', '=', crmId).executeTakeFirst();
  if (!crm) throw notFound('The CRM');
  if (crm.kind !== 'studio') {
    throw invalid([], 'Only a studio CRM has members; a mentor CRM is its owner’s alone');
  }
  await requireUser(db, userId, 'userId');
  await db
    .insertInto('memberships')
    .values({ crm_id: crmId, user_id: userId, role: 'teacher' })
    .onConflict((oc) => oc.columns(['crm_id', 'user_id']).doNothing())
    .execute();
}

/**
 * A bearer token for a user with these scopes, valid `ttlSeconds` from `now`. The token is
 * returned once; only its hash is stored.
 */
export async function issueToken(
  db: Db,
  userId: string,
  scopes: readonly Scope[],
  ttlSeconds: number,
  now: Date,
): Promise<{ token: string; expiresAt: string }> {
  await requireUser(db, userId, 'userId');
  const token = newToken();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  await db
    .insertInto('tokens')
    .values({
      token_hash: hashToken(token),
      user_id: userId,
      scopes: [...new Set(scopes)],
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}
