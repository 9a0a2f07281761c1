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
}

export interface NotesTable {
  client_id: string;
  crm_id: string;
  text: string;
  version: number;
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
  kind: 'message' | 'erasure_notice';
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

export interface Database {
  users: UsersTable;
  crms: CrmsTable;
  memberships: MembershipsTable;
  tokens: TokensTable;
  clients: ClientsTable;
  bookings: BookingsTable;
  notes: NotesTable;
  messages: MessagesTable;
  outbox: OutboxTable;
  merge_requests: MergeRequestsTable;
}

/** A bigint, count or numeric from either driver as a JS number. */
export const toNumber = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A timestamptz from either driver as an ISO string (null stays null). */
export const toIso = (v: Date | string | null | undefined): string | null =>
  v === null || v === undefined ? null : new Date(v).toISOString();
