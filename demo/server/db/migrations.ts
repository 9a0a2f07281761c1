/**
 * Schema migrations, run at start. Each step is idempotent (`if not exists`) and recorded in
 * `schema_migrations`, so a database shared by several servers (tests against one
 * PostgreSQL) migrates once and later starts are no-ops. A transaction-scoped advisory lock
 * keeps two servers starting at once from racing.
 *
 * Every index on CRM data leads with crm_id: each query is scoped to one CRM.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

export const MIGRATIONS: { id: number; name: string; up: string }[] = [
  {
    id: 1,
    name: 'initial',
    up: `
create table if not exists users (
  id text primary key,
  name text not null,
  email text not null,
  created_at timestamptz not null default now()
);
create table if not exists crms (
  id text primary key,
  kind text not null check (kind in ('mentor', 'studio')),
  name text not null,
  owner_user_id text not null references users(id),
  currency text not null,
  created_at timestamptz not null default now()
);
create table if not exists memberships (
  crm_id text not null references crms(id),
  user_id text not null references users(id),
  role text not null check (role in ('owner', 'teacher')),
  primary key (crm_id, user_id)
);
create index if not exists memberships_user on memberships (user_id);
create table if not exists tokens (
  token_hash text primary key,
  user_id text not null references users(id),
  scopes text[] not null,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create table if not exists clients (
  id text primary key,
  crm_id text not null references crms(id),
  email text,
  name text not null,
  phone text,
  avatar_url text,
  total_bookings integer not null default 0,
  lifetime_spend bigint not null default 0,
  spend_bookings integer not null default 0,
  first_booking_at timestamptz,
  last_booking_at timestamptz,
  last_attended_at timestamptz,
  teacher_ids text[] not null default '{}',
  tags text[] not null default '{}',
  tags_lower text[] not null default '{}',
  tags_updated_at timestamptz,
  erased boolean not null default false,
  created_at timestamptz not null default now(),
  -- sort keys of the list (keyset pagination): never null, so (key, id) row comparisons work
  recent_key timestamptz generated always as (coalesce(last_booking_at, '-infinity')) stored,
  first_key timestamptz generated always as (coalesce(first_booking_at, 'infinity')) stored,
  name_key text generated always as (lower(name)) stored,
  unique (crm_id, email)
);
create index if not exists clients_recent on clients (crm_id, recent_key, id);
create index if not exists clients_name on clients (crm_id, name_key, id);
create index if not exists clients_bookings on clients (crm_id, total_bookings, id);
create index if not exists clients_spend on clients (crm_id, lifetime_spend, id);
create index if not exists clients_first on clients (crm_id, first_key, id);
create table if not exists bookings (
  id text primary key,
  seq bigserial not null,
  crm_id text not null references crms(id),
  client_id text not null references clients(id),
  teacher_user_id text not null references users(id),
  class_title text not null,
  starts_at timestamptz not null,
  location text not null,
  status text not null check (status in ('booked', 'completed', 'no_show', 'cancelled')),
  payment_status text not null
    check (payment_status in ('unpaid', 'paid', 'refunded', 'partially_refunded')),
  amount_minor bigint not null check (amount_minor >= 0),
  refunded_minor bigint not null check (refunded_minor >= 0 and refunded_minor <= amount_minor),
  currency text not null,
  client_name text not null,
  client_phone text,
  client_avatar_url text,
  updated_at timestamptz not null
);
create index if not exists bookings_client on bookings (crm_id, client_id, starts_at, id);
create index if not exists bookings_teacher on bookings (crm_id, teacher_user_id, client_id);
create table if not exists notes (
  client_id text primary key references clients(id),
  crm_id text not null references crms(id),
  text text not null,
  version integer not null,
  updated_at timestamptz not null,
  updated_by text references users(id)
);
create index if not exists notes_crm on notes (crm_id, client_id);
create table if not exists messages (
  id text primary key,
  crm_id text not null references crms(id),
  client_id text not null references clients(id),
  sender_user_id text not null references users(id),
  subject text not null,
  sent_at timestamptz not null
);
create index if not exists messages_client on messages (crm_id, client_id, sent_at);
create table if not exists outbox (
  seq bigserial primary key,
  kind text not null check (kind in ('message', 'erasure_notice')),
  to_address text not null,
  reply_to text,
  subject text not null,
  body text not null,
  sent_at timestamptz not null
);
create table if not exists merge_requests (
  id text primary key,
  crm_id text not null references crms(id),
  client_a text not null references clients(id),
  client_b text not null references clients(id),
  reason text,
  requested_by text not null references users(id),
  created_at timestamptz not null
);
create index if not exists merge_requests_crm on merge_requests (crm_id, created_at);
`,
  },
  {
    id: 2,
    name: 'tags write order',
    up: `
create sequence if not exists clients_tags_seq;
alter table clients add column if not exists tags_seq bigint;
`,
  },
  {
    // The list's unfiltered total without counting every client of the CRM: clients are only
    // ever inserted (erasure anonymises, merges are requests), so a statement trigger keeps a
    // count per CRM, in the inserting transaction, whatever inserts them (bookings, the seed).
    id: 3,
    name: 'client count per CRM',
    up: `
alter table crms add column if not exists client_count integer not null default 0;
update crms set client_count = (select count(*) from clients c where c.crm_id = crms.id);
create or replace function crms_count_clients() returns trigger language plpgsql as $$ begin update crms set client_count = client_count + n.n from (select crm_id, count(*)::int as n from inserted group by crm_id) n where crms.id = n.crm_id; return null; end $$;
create or replace trigger clients_counted after insert on clients referencing new table as inserted for each statement execute function crms_count_clients();
`,
  },
  {
    // Sign-in for embedded pages (SPEC section 6): one-time email codes, the server's own
    // sessions, a user's approval of an origin, authorization codes, refresh-token families.
    // Every secret (code, session, token) is stored as a hash. Access tokens stay in `tokens`,
    // bound to their origin, their approval's CRMs and their family.
    id: 4,
    name: 'oauth sign-in',
    up: `
alter table outbox drop constraint if exists outbox_kind_check;
alter table outbox add constraint outbox_kind_check check (kind in ('message', 'erasure_notice', 'sign_in_code'));
create table if not exists oauth_login_codes (
  id text primary key,
  email text not null,
  ip text not null,
  code_hash text not null,
  attempts integer not null default 0,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index if not exists oauth_login_codes_email on oauth_login_codes (email, created_at);
create index if not exists oauth_login_codes_ip on oauth_login_codes (ip, created_at);
create table if not exists oauth_sessions (
  id_hash text primary key,
  user_id text not null references users(id),
  created_at timestamptz not null,
  expires_at timestamptz not null
);
create table if not exists oauth_approvals (
  id text primary key,
  user_id text not null references users(id),
  origin text not null,
  scopes text[] not null,
  crm_ids text[] not null,
  created_at timestamptz not null,
  last_used_at timestamptz,
  revoked_at timestamptz
);
create unique index if not exists oauth_approvals_live on oauth_approvals (user_id, origin) where revoked_at is null;
create index if not exists oauth_approvals_origin on oauth_approvals (origin) where revoked_at is null;
create table if not exists oauth_families (
  id text primary key,
  approval_id text not null references oauth_approvals(id),
  origin text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index if not exists oauth_families_approval on oauth_families (approval_id);
create table if not exists oauth_codes (
  code_hash text primary key,
  approval_id text not null references oauth_approvals(id),
  client_id text not null,
  code_challenge text not null,
  scopes text[] not null,
  crm_ids text[] not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  family_id text references oauth_families(id)
);
create table if not exists oauth_refresh_tokens (
  token_hash text primary key,
  family_id text not null references oauth_families(id),
  created_at timestamptz not null,
  used_at timestamptz
);
create index if not exists oauth_refresh_tokens_family on oauth_refresh_tokens (family_id);
alter table tokens add column if not exists family_id text references oauth_families(id);
alter table tokens add column if not exists origin text;
alter table tokens add column if not exists crm_ids text[];
create index if not exists tokens_family on tokens (family_id) where family_id is not null;
`,
  },
  {
    // SPEC section 3 (this round): `recent` sorts by lastAttendedAt, never-attended clients last
    // in either order, so its keys are redefined and ascending pages get a key of their own.
    // SPEC section 7: a CRM's time zone, for class times and calendar days.
    id: 5,
    name: 'recent by last attended; CRM time zone',
    up: `
alter table crms add column if not exists time_zone text not null default 'UTC';
drop index if exists clients_recent;
alter table clients drop column if exists recent_key;
alter table clients add column recent_key timestamptz generated always as (coalesce(last_attended_at, '-infinity')) stored;
alter table clients add column recent_asc_key timestamptz generated always as (coalesce(last_attended_at, 'infinity')) stored;
create index if not exists clients_recent on clients (crm_id, recent_key, id);
create index if not exists clients_recent_asc on clients (crm_id, recent_asc_key, id);
`,
  },
  {
    // SPEC section 7. A booking's session: its platform sessionId ('p' + id), or else its
    // (teacher, start, title, location) hashed ('d' + md5): a derived key never equals a
    // platform one. Stored (generated) so that a session is an index lookup; the function
    // is immutable in fact (the epoch of a timestamptz does not depend on the time zone).
    id: 6,
    name: 'sessions and client alerts',
    up: `
alter table bookings add column if not exists session_id text;
create or replace function mm_session_key(session_id text, teacher text, starts_at timestamptz, title text, location text) returns text language sql immutable parallel safe as $$ select case when session_id is not null then 'p' || session_id else 'd' || md5(teacher || chr(31) || (extract(epoch from starts_at) * 1000)::bigint::text || chr(31) || title || chr(31) || location) end $$;
alter table bookings add column if not exists session_key text generated always as (mm_session_key(session_id, teacher_user_id, starts_at, class_title, location)) stored;
create index if not exists bookings_session on bookings (crm_id, session_key);
create index if not exists bookings_upcoming on bookings (crm_id, starts_at) include (session_key) where status <> 'cancelled';
create table if not exists client_alerts (
  id text primary key,
  seq bigserial not null,
  crm_id text not null references crms(id),
  client_id text not null references clients(id),
  text text not null,
  until date,
  created_by text not null references users(id),
  created_at timestamptz not null
);
create index if not exists client_alerts_client on client_alerts (crm_id, client_id, seq);
`,
  },
  {
    // Client rhythm (SPEC section 8): what the segment `slipping` needs, on the client row
    // (domain/insight.ts). `slipping_after` is the last day of the client's usual rhythm:
    // the last attended day plus max(2 x typicalGapDays, 14); they slip from the day after.
    // Existing clients get their rhythm on the next request that reads them (expired now).
    id: 7,
    name: 'client rhythm',
    up: `
alter table clients add column if not exists last_booked_at timestamptz;
alter table clients add column if not exists last_attended_day date;
alter table clients add column if not exists typical_gap_days double precision;
alter table clients add column if not exists rhythm_expires_at timestamptz;
alter table clients add column if not exists slipping_after date generated always as (case when typical_gap_days is not null then last_attended_day + greatest((2 * typical_gap_days)::int, 14) end) stored;
update clients c set last_booked_at = (select max(b.starts_at) from bookings b where b.client_id = c.id and b.status = 'booked'), rhythm_expires_at = '-infinity' where c.last_booking_at is not null;
create index if not exists clients_slipping on clients (crm_id, last_booking_at, slipping_after) where slipping_after is not null;
create index if not exists clients_rhythm_expiry on clients (crm_id, rhythm_expires_at) where rhythm_expires_at is not null;
`,
  },
  {
    // Note history (SPEC section 8): every saved version, the last 100 per client.
    id: 8,
    name: 'note history',
    up: `
create table if not exists note_versions (
  crm_id text not null references crms(id),
  client_id text not null references clients(id),
  version integer not null,
  text text not null,
  updated_at timestamptz not null,
  updated_by text references users(id),
  primary key (crm_id, client_id, version)
);
insert into note_versions (crm_id, client_id, version, text, updated_at, updated_by) select crm_id, client_id, version, text, updated_at, updated_by from notes on conflict do nothing;
`,
  },
  {
    // The sessions list (SPEC section 7) reads one row per session instead of grouping the
    // week's bookings on every request (issue 16: 21/32 ms p50/p95 at 20,000 clients on
    // PGlite). `sessions` holds what the list shows of each session, recounted from its
    // bookings in the writing transaction by statement triggers: on bookings (their old and
    // new sessions) and on clients whose first booking moved (first-timers of the sessions
    // at the old and the new first start). Live alerts depend on today: the list counts them
    // per request among the session's `client_ids` (its clients with a non-cancelled booking).
    // `first_start`/`last_start` bound the non-cancelled bookings' starts: a session is in a
    // range when one of them is, which `first_start` decides unless the starts differ.
    id: 9,
    name: 'a row per session',
    up: `
create table if not exists sessions (
  crm_id text not null references crms(id),
  session_key text not null,
  id text not null,
  class_title text not null,
  starts_at timestamptz not null,
  location text not null,
  teacher_user_id text not null references users(id),
  booked integer not null,
  first_timers integer not null,
  client_ids text[] not null,
  first_start timestamptz,
  last_start timestamptz,
  primary key (crm_id, session_key)
);
create index if not exists sessions_first on sessions (crm_id, first_start) where booked > 0;
create index if not exists sessions_spanning on sessions (crm_id, last_start) where first_start < last_start;
create or replace function mm_sessions_refresh(crms text[], keys text[]) returns void language plpgsql as $$ begin
  with k as (select distinct k.crm_id, k.session_key from unnest(crms, keys) as k(crm_id, session_key)),
  a as (select b.crm_id, b.session_key, (array_agg(b.class_title order by b.seq desc))[1] as class_title, (array_agg(b.starts_at order by b.seq desc))[1] as starts_at, (array_agg(b.location order by b.seq desc))[1] as location, (array_agg(b.teacher_user_id order by b.seq desc))[1] as teacher_user_id, (count(*) filter (where b.status <> 'cancelled'))::int as booked, (count(*) filter (where b.status <> 'cancelled' and c.first_booking_at = b.starts_at))::int as first_timers, coalesce(array_agg(distinct b.client_id) filter (where b.status <> 'cancelled'), '{}') as client_ids, min(b.starts_at) filter (where b.status <> 'cancelled') as first_start, max(b.starts_at) filter (where b.status <> 'cancelled') as last_start from k join bookings b on b.crm_id = k.crm_id and b.session_key = k.session_key join clients c on c.id = b.client_id group by b.crm_id, b.session_key)
  insert into sessions (crm_id, session_key, id, class_title, starts_at, location, teacher_user_id, booked, first_timers, client_ids, first_start, last_start) select a.crm_id, a.session_key, case when left(a.session_key, 1) = 'p' then substr(a.session_key, 2) else 'auto_' || substr(a.session_key, 2) end, a.class_title, a.starts_at, a.location, a.teacher_user_id, a.booked, a.first_timers, a.client_ids, a.first_start, a.last_start from a
  on conflict (crm_id, session_key) do update set class_title = excluded.class_title, starts_at = excluded.starts_at, location = excluded.location, teacher_user_id = excluded.teacher_user_id, booked = excluded.booked, first_timers = excluded.first_timers, client_ids = excluded.client_ids, first_start = excluded.first_start, last_start = excluded.last_start;
  delete from sessions s using unnest(crms, keys) as k(crm_id, session_key) where s.crm_id = k.crm_id and s.session_key = k.session_key and not exists (select 1 from bookings b where b.crm_id = s.crm_id and b.session_key = s.session_key);
end $$;
create or replace function mm_bookings_sessions() returns trigger language plpgsql as $$ declare cs text[]; ks text[]; begin
  if tg_op = 'INSERT' then select array_agg(x.crm_id), array_agg(x.session_key) into cs, ks from (select distinct crm_id, session_key from new_rows) x;
  elsif tg_op = 'UPDATE' then select array_agg(x.crm_id), array_agg(x.session_key) into cs, ks from (select crm_id, session_key from new_rows union select crm_id, session_key from old_rows) x;
  else select array_agg(x.crm_id), array_agg(x.session_key) into cs, ks from (select distinct crm_id, session_key from old_rows) x;
  end if;
  if cs is not null then perform mm_sessions_refresh(cs, ks); end if;
  return null;
end $$;
create or replace trigger bookings_sessions_insert after insert on bookings referencing new table as new_rows for each statement execute function mm_bookings_sessions();
create or replace trigger bookings_sessions_update after update on bookings referencing old table as old_rows new table as new_rows for each statement execute function mm_bookings_sessions();
create or replace trigger bookings_sessions_delete after delete on bookings referencing old table as old_rows for each statement execute function mm_bookings_sessions();
create or replace function mm_clients_first_sessions() returns trigger language plpgsql as $$ declare cs text[]; ks text[]; begin
  select array_agg(x.crm_id), array_agg(x.session_key) into cs, ks from (select distinct b.crm_id, b.session_key from old_rows o join new_rows n on n.id = o.id join bookings b on b.crm_id = n.crm_id and b.client_id = n.id and b.starts_at in (o.first_booking_at, n.first_booking_at) where o.first_booking_at is distinct from n.first_booking_at) x;
  if cs is not null then perform mm_sessions_refresh(cs, ks); end if;
  return null;
end $$;
create or replace trigger clients_first_sessions after update on clients referencing old table as old_rows new table as new_rows for each statement execute function mm_clients_first_sessions();
select mm_sessions_refresh(array_agg(crm_id), array_agg(session_key)) from (select distinct crm_id, session_key from bookings) k;
`,
  },
  {
    // Search (issue 18): `q` matches name or email as a case-insensitive substring
    // (`ilike '%q%'`), which no b-tree serves: every client was read. Trigram (pg_trgm) GIN
    // indexes serve it from 3 characters on. They do not lead with crm_id (a GIN index on a
    // text column and a trigram one would need btree_gin); the CRM is a filter on the few
    // matching rows. PGlite loads the extension on every open (database.ts).
    id: 10,
    name: 'trigram search',
    up: `
create extension if not exists pg_trgm;
create index if not exists clients_name_trgm on clients using gin (name gin_trgm_ops);
create index if not exists clients_email_trgm on clients using gin (email gin_trgm_ops);
`,
  },
  {
    // Search, one column (issue 18): the name and the email lower-cased in one stored text,
    // a line break between them, under one trigram index. A search is then one `like` (or
    // `~`) on one column rather than an `ilike` on each of two: one bitmap scan, one cheaper
    // recheck per candidate (a first page of "kowalski" 5.5 to 3.0 ms, the capped count of
    // "gmail" 9.5 to 7.0 on PGlite at 100,000 clients). `ilike` is `lower() like lower()`, so
    // the matches are the same. Adding the column rewrites the table (a few seconds at
    // 100,000 clients, the table locked meanwhile).
    id: 11,
    name: 'one search column',
    up: `
alter table clients add column if not exists search text generated always as (lower(name) || chr(10) || coalesce(lower(email), '')) stored;
create index if not exists clients_search_trgm on clients using gin (search gin_trgm_ops);
drop index if exists clients_name_trgm;
drop index if exists clients_email_trgm;
`,
  },
];

/**
 * The statements of a migration: split at a ';' that ends a line, except inside a
 * dollar-quoted function body (`$$ ... $$`), whose statements end lines too.
 */
export function statements(up: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of up.split('\n')) {
    current += `${line}\n`;
    const quoted = (current.match(/\$\$/g)?.length ?? 0) % 2 === 1;
    if (!quoted && /;\s*$/.test(line)) {
      out.push(current.trim().replace(/;$/, ''));
      current = '';
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

export async function migrate(db: Kysely<Database>): Promise<void> {
  const ran = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(80870001)`.execute(trx);
    await sql`create table if not exists schema_migrations (
      id integer primary key, name text not null, applied_at timestamptz not null default now()
    )`.execute(trx);
    const done = await sql<{ id: number }>`select id from schema_migrations`.execute(trx);
    const applied = new Set(done.rows.map((r) => Number(r.id)));
    let count = 0;
    for (const m of MIGRATIONS) {
      if (applied.has(m.id)) continue;
      // one statement at a time: PGlite's extended protocol takes a single statement
      for (const statement of statements(m.up)) await sql.raw(statement).execute(trx);
      await sql`insert into schema_migrations (id, name) values (${m.id}, ${m.name})`.execute(trx);
      count++;
    }
    return count;
  });
  // New tables and indexes (and rows a migration wrote) get planner statistics now: PGlite
  // has no autovacuum, and PostgreSQL's would come later.
  if (ran > 0) await sql`analyze`.execute(db);
}
