/**
 * Table types for Kysely. Money columns are `bigint` in the database: node-postgres returns
 * them as strings and PGlite as numbers, so readers go through `toNumber()`.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type BigIntColumn = ColumnType<number | string, number, number>;

export interface UsersTable {
  id: string;
  name: string;
  email: string;
  created_at: Generated<Timestamp>;
}

export interface CrmsTable {
  id: string;
  kind: 'mentor' | 'studio';
  name: string;
  owner_user_id: string;
  currency: string;
  /** IANA time zone (migration 4); `UTC` unless given at creation. */
  time_zone: Generated<string>;
  created_at: Generated<Timestamp>;
  /** Clients of the CRM, kept by a trigger on insert (migration 3). */
  client_count: Generated<number>;
}

export interface MembershipsTable {
  crm_id: string;
  user_id: string;
  role: 'owner' | 'teacher';
}

export interface TokensTable {
  token_hash: string;
  user_id: string;
  scopes: string[];
  expires_at: Timestamp;
  created_at: Generated<Timestamp>;
  /** Minted by `/oauth/token`: its refresh-token family (migration 4); null otherwise. */
  family_id: string | null;
  /** Minted by `/oauth/token`: the only `Origin` it may be sent from. */
  origin: string | null;
  /** Minted by `/oauth/token`: the CRMs its approval covers (others are 404). */
  crm_ids: string[] | null;
}

export interface ClientsTable {
  id: string;
  crm_id: string;
  /** Trimmed, lower case; null once erased. */
  email: string | null;
  name: string;
  phone: string | null;
  avatar_url: string | null;
  total_bookings: Generated<number>;
  lifetime_spend: Generated<BigIntColumn>;
  /** Bookings counted in lifetime_spend (the divisor of averageSpend). */
  spend_bookings: Generated<number>;
  first_booking_at: Timestamp | null;
  last_booking_at: Timestamp | null;
  last_attended_at: Timestamp | null;
  teacher_ids: Generated<string[]>;
  tags: Generated<string[]>;
  tags_lower: Generated<string[]>;
  tags_updated_at: Timestamp | null;
  /** Write order of the tag set: the spelling in place longest is the one shown. */
  tags_seq: number | null;
  erased: Generated<boolean>;
  created_at: Generated<Timestamp>;
  /** Latest start among `booked` bookings: an upcoming booking exists when it is >= now. */
  last_booked_at: Timestamp | null;
  /** The day of last_attended_at in the CRM's time zone. */
  last_attended_day: ColumnType<Date | string, Date | string, Date | string> | null;
  /** typicalGapDays as of the last rhythm computation (valid until rhythm_expires_at). */
  typical_gap_days: number | null;
  /** When the 365-day window next changes typical_gap_days (null: never by itself). */
  rhythm_expires_at: Timestamp | null;
  /** last_attended_day + max(2 x typical_gap_days, 14): slipping from the day after. */
  slipping_after: ColumnType<Date | string, never, never> | null;
  /** lower(name), a line break, lower(email): what a search matches (migration 11). */
  search: ColumnType<string, never, never>;
}

export interface BookingsTable {
  id: string;
  seq: Generated<number>;
  crm_id: string;
  client_id: string;
  teacher_user_id: string;
  class_title: string;
  starts_at: Timestamp;
  location: string;
  status: 'booked' | 'completed' | 'no_show' | 'cancelled';
  payment_status: 'unpaid' | 'paid' | 'refunded' | 'partially_refunded';
  amount_minor: BigIntColumn;
  refunded_minor: BigIntColumn;
  currency: string;
  /** The client's details as given with this booking (the latest booking's win). */
  client_name: string;
  client_phone: string | null;
  client_avatar_url: string | null;
  updated_at: Timestamp;
  /** The platform's id of the class occurrence (migration 4). */
  session_id: string | null;
  /** Generated: 'p' + session_id, else 'd' + a hash of teacher, start, title, location. */
  session_key: Generated<string>;
}

/** One row per session (migration 9), recounted from its bookings by triggers. */
export interface SessionsTable {
  crm_id: string;
  session_key: string;
  /** The public id: the sessionId, or `auto_` + the derived key's hash. */
  id: string;
  /** The latest-written booking's fields (highest seq). */
  class_title: string;
  starts_at: Timestamp;
  location: string;
  teacher_user_id: string;
  /** Non-cancelled bookings, and those that are their client's first booking. */
  booked: number;
  first_timers: number;
  /** Its clients with a non-cancelled booking (distinct, sorted). */
  client_ids: string[];
  /** The earliest and latest start of its non-cancelled bookings (null without any). */
  first_start: Timestamp | null;
  last_start: Timestamp | null;
}

export interface NotesTable {
  client_id: string;
  crm_id: string;
  text: string;
  version: number;
  updated_at: Timestamp;
  updated_by: string | null;
}

/** Every saved version of a note, the last 100 per client (SPEC section 8). */
export interface NoteVersionsTable {
  crm_id: string;
  client_id: string;
  version: number;
  text: string;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface MessagesTable {
  id: string;
  crm_id: string;
  client_id: string;
  sender_user_id: string;
  subject: string;
  sent_at: Timestamp;
}

export interface OutboxTable {
  seq: Generated<number>;
  kind: 'message' | 'erasure_notice' | 'sign_in_code';
  to_address: string;
  reply_to: string | null;
  subject: string;
  body: string;
  sent_at: Timestamp;
}

export interface MergeRequestsTable {
  id: string;
  crm_id: string;
  client_a: string;
  client_b: string;
  reason: string | null;
  requested_by: string;
  created_at: Timestamp;
}

/** A one-time sign-in code emailed through the outbox (SPEC section 6). */
export interface OauthLoginCodesTable {
  id: string;
  /** Trimmed, lower case, as typed (whether or not a user has it). */
  email: string;
  ip: string;
  code_hash: string;
  attempts: Generated<number>;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

/** A session of the server's own pages (the popup), by the hash of its cookie. */
export interface OauthSessionsTable {
  id_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** A user's approval of an origin: the scopes and CRMs it may use. */
export interface OauthApprovalsTable {
  id: string;
  user_id: string;
  origin: string;
  scopes: string[];
  crm_ids: string[];
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** The tokens descending from one authorization code. */
export interface OauthFamiliesTable {
  id: string;
  approval_id: string;
  origin: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface OauthCodesTable {
  code_hash: string;
  approval_id: string;
  client_id: string;
  code_challenge: string;
  scopes: string[];
  crm_ids: string[];
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  family_id: string | null;
}

export interface OauthRefreshTokensTable {
  token_hash: string;
  family_id: string;
  created_at: Timestamp;
  /** Set when rotated: a second use revokes the family. */
  used_at: Timestamp | null;
}

export interface ClientAlertsTable {
  id: string;
  /** Creation order (the clock may stand still). */
  seq: Generated<number>;
  crm_id: string;
  client_id: string;
  text: string;
  /** Live through this day in the CRM's time zone; null: until removed. */
  until: ColumnType<string | null, string | null, string | null>;
  created_by: string;
  created_at: Timestamp;
}

export interface Database {
  users: UsersTable;
  crms: CrmsTable;
  memberships: MembershipsTable;
  tokens: TokensTable;
  clients: ClientsTable;
  bookings: BookingsTable;
  sessions: SessionsTable;
  notes: NotesTable;
  note_versions: NoteVersionsTable;
  messages: MessagesTable;
  outbox: OutboxTable;
  merge_requests: MergeRequestsTable;
  oauth_login_codes: OauthLoginCodesTable;
  oauth_sessions: OauthSessionsTable;
  oauth_approvals: OauthApprovalsTable;
  oauth_families: OauthFamiliesTable;
  oauth_codes: OauthCodesTable;
  oauth_refresh_tokens: OauthRefreshTokensTable;
  client_alerts: ClientAlertsTable;
}

/** A bigint, count or numeric from either driver as a JS number. */
export const toNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A timestamptz from either driver as an ISO string (null stays null). */
export const toIso = (v: Date | string | null | undefined): string | null =>
  v === null || v === undefined ? null : new Date(v).toISOString();
