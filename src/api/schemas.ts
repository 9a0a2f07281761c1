/**
 * The MoveMentors CRM HTTP API (version 1) as zod/mini schemas: SPEC section 3.
 *
 * One source of truth for the contract. The reference server validates every request with
 * these schemas and the elements validate every response with them. Types are inferred
 * from the schemas and share their names (`ClientSummary` is both the schema and the type).
 *
 * Written with `zod/mini` so that the browser bundle stays small.
 */
import * as z from 'zod/mini';

// ---------------------------------------------------------------------------------------
// Limits (SPEC section 2 and 3). Elements use them to explain a limit before the server
// refuses; the server enforces them.
// ---------------------------------------------------------------------------------------

export const LIMITS = {
  noteMaxChars: 20_000,
  tagsMaxCount: 30,
  tagMaxChars: 40,
  subjectMaxChars: 200,
  messageBodyMaxChars: 10_000,
  searchMaxChars: 200,
  pageMin: 1,
  pageMax: 200,
  pageDefault: 50,
  /** Re-engagement messages per 90 days before the card warns ("1-3 per quarter"). */
  messagesPerQuarter: 3,
  /** Days without a booking after which a client is lapsed. */
  lapsedAfterDays: 90,
} as const;

// ---------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------

/** Opaque identifier. */
export const Id = z.string().check(z.minLength(1, 'Must not be empty'), z.maxLength(100));
export type Id = z.infer<typeof Id>;

/** An ISO-8601 time. Responses are UTC (`...Z`); requests may carry an offset. */
export const IsoTime = z.iso.datetime({ offset: true });
export type IsoTime = z.infer<typeof IsoTime>;

/** ISO 4217 currency code. */
export const Currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'Must be a 3-letter ISO 4217 code'));

const MinorUnits = z.int().check(z.nonnegative('Must not be negative'));

/** Money in minor units of one currency: `{ amountMinor: 12500, currency: 'USD' }`. */
export const Money = z.object({ amountMinor: z.int(), currency: Currency });
export type Money = z.infer<typeof Money>;

/** Email, compared case-insensitively after trimming: normalised to trimmed lower case. */
export const Email = z
  .string()
  .check(z.trim(), z.maxLength(254), z.email('Must be an email address'), z.toLowerCase());

/** One-line human text (names, titles): trimmed, 1..max characters, no control characters. */
export const text = (max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Must not be empty'),
      z.maxLength(max, `Must be at most ${max} characters`),
      z.regex(/^[^\p{Cc}]*$/u, 'Must not contain control characters'),
    );

// ---------------------------------------------------------------------------------------
// Enumerations
// ---------------------------------------------------------------------------------------

export const CrmKind = z.enum(['mentor', 'studio']);
export type CrmKind = z.infer<typeof CrmKind>;

export const CrmRole = z.enum(['owner', 'teacher']);
export type CrmRole = z.infer<typeof CrmRole>;

export const Scope = z.enum(['crm:read', 'crm:write', 'crm:message', 'crm:export']);
export type Scope = z.infer<typeof Scope>;

export const ClientStatus = z.enum(['regular', 'active', 'lapsed']);
export type ClientStatus = z.infer<typeof ClientStatus>;

export const BookingStatus = z.enum(['booked', 'completed', 'no_show', 'cancelled']);
export type BookingStatus = z.infer<typeof BookingStatus>;

export const PaymentStatus = z.enum(['unpaid', 'paid', 'refunded', 'partially_refunded']);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const ClientSort = z.enum(['recent', 'name', 'bookings', 'spend', 'firstBooking']);
export type ClientSort = z.infer<typeof ClientSort>;

export const SortOrder = z.enum(['asc', 'desc']);
export type SortOrder = z.infer<typeof SortOrder>;

export const Segment = z.enum(['growing']);
export type Segment = z.infer<typeof Segment>;

// ---------------------------------------------------------------------------------------
// Errors: RFC 9457 problem details
// ---------------------------------------------------------------------------------------

/** Stable error codes of the API. */
export const ErrorCode = z.enum([
  'invalid_request',
  'unauthenticated',
  'insufficient_scope',
  'not_found',
  'version_conflict',
  'precondition_required',
  'method_not_allowed',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One offending field of a 400: `path` is dotted (`tags.3`, `payment.amountMinor`). */
export const FieldError = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof FieldError>;

// ---------------------------------------------------------------------------------------
// Users, CRMs, teachers, tags
// ---------------------------------------------------------------------------------------

export const User = z.object({ id: Id, name: z.string(), email: z.string() });
export type User = z.infer<typeof User>;

export const UserRef = z.object({ id: Id, name: z.string() });
export type UserRef = z.infer<typeof UserRef>;

export const CrmSummary = z.object({
  id: Id,
  kind: CrmKind,
  name: z.string(),
  role: CrmRole,
  currency: Currency,
});
export type CrmSummary = z.infer<typeof CrmSummary>;

/** `GET /v1/me` */
export const Me = z.object({ user: User, crms: z.array(CrmSummary) });
export type Me = z.infer<typeof Me>;

/** `GET /v1/crms/{crmId}/teachers`: members who teach. */
export const TeacherList = z.array(UserRef);
export type TeacherList = z.infer<typeof TeacherList>;

/** One tag: 1-40 characters after trimming, no control characters. */
export const Tag = text(LIMITS.tagMaxChars);

/** `GET /v1/crms/{crmId}/tags`: tags in use with counts. */
export const TagCount = z.object({ tag: z.string(), count: z.int() });
export type TagCount = z.infer<typeof TagCount>;
export const TagCountList = z.array(TagCount);
export type TagCountList = z.infer<typeof TagCountList>;

/** `PUT /v1/crms/{crmId}/clients/{clientId}/tags` body; also its response. */
export const TagsUpdate = z.object({
  tags: z
    .array(Tag)
    .check(z.maxLength(LIMITS.tagsMaxCount, `At most ${LIMITS.tagsMaxCount} tags per client`)),
});
export type TagsUpdate = z.infer<typeof TagsUpdate>;
export const TagsResponse = z.object({ tags: z.array(z.string()) });
export type TagsResponse = z.infer<typeof TagsResponse>;

// ---------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------

/** One row of the clients list. `email` is null for an erased client. */
export const ClientSummary = z.object({
  id: Id,
  name: z.string(),
  email: z.nullable(z.string()),
  avatarUrl: z.nullable(z.string()),
  totalBookings: z.int(),
  lifetimeSpend: Money,
  firstBookingAt: z.nullable(IsoTime),
  lastBookingAt: z.nullable(IsoTime),
  lastAttendedAt: z.nullable(IsoTime),
  status: ClientStatus,
  growing: z.boolean(),
  tags: z.array(z.string()),
  erased: z.boolean(),
  /** Studio CRM only: the teachers this client booked with. */
  teachers: z.optional(z.array(UserRef)),
});
export type ClientSummary = z.infer<typeof ClientSummary>;

/** `GET /v1/crms/{crmId}/clients/{clientId}` */
export const ClientDetail = z.extend(ClientSummary, {
  phone: z.nullable(z.string()),
  averageSpend: Money,
  messages: z.object({ lastSentAt: z.nullable(IsoTime), sentLast90Days: z.int() }),
});
export type ClientDetail = z.infer<typeof ClientDetail>;

/**
 * `GET /v1/crms/{crmId}/clients` (and `export.csv`) query. `status` and `tag` are
 * repeatable: pass arrays. Query strings arrive as text; numbers are coerced.
 */
export const ClientListQuery = z.object({
  q: z.optional(z.string().check(z.trim(), z.maxLength(LIMITS.searchMaxChars))),
  status: z.optional(z.array(ClientStatus)),
  segment: z.optional(Segment),
  tag: z.optional(z.array(Tag)),
  teacher: z.optional(Id),
  sort: z._default(ClientSort, 'recent'),
  order: z.optional(SortOrder),
  limit: z._default(
    z.coerce.number<number | string>().check(z.int(), z.minimum(LIMITS.pageMin), z.maximum(LIMITS.pageMax)),
    LIMITS.pageDefault,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1000))),
});
/** The parsed query (defaults applied). */
export type ClientListQuery = z.infer<typeof ClientListQuery>;
/** What a caller passes (defaults optional). */
export type ClientListParams = z.input<typeof ClientListQuery>;

/** Query keys that repeat in a URL (`?status=regular&status=active`). */
export const REPEATABLE_QUERY_KEYS = ['status', 'tag'] as const;

export const ClientListPage = z.object({
  items: z.array(ClientSummary),
  nextCursor: z.nullable(z.string()),
  total: z.int(),
});
export type ClientListPage = z.infer<typeof ClientListPage>;

/** CSV export: header row, exactly. */
export const CSV_COLUMNS = [
  'name',
  'email',
  'phone',
  'total_bookings',
  'lifetime_spend',
  'first_booking_date',
  'last_booking_date',
  'status',
  'tags',
] as const;

// ---------------------------------------------------------------------------------------
// Bookings
// ---------------------------------------------------------------------------------------

export const Booking = z.object({
  id: Id,
  classTitle: z.string(),
  startsAt: IsoTime,
  status: BookingStatus,
  payment: z.object({ status: PaymentStatus, amount: Money, refunded: Money }),
  location: z.string(),
  teacher: UserRef,
});
export type Booking = z.infer<typeof Booking>;

/** `GET .../clients/{clientId}/bookings` query: oldest first. */
export const PageQuery = z.object({
  limit: z._default(
    z.coerce.number<number | string>().check(z.int(), z.minimum(LIMITS.pageMin), z.maximum(LIMITS.pageMax)),
    LIMITS.pageDefault,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1000))),
});
export type PageQuery = z.infer<typeof PageQuery>;
export type PageParams = z.input<typeof PageQuery>;

export const BookingPage = z.object({ items: z.array(Booking), nextCursor: z.nullable(z.string()) });
export type BookingPage = z.infer<typeof BookingPage>;

// ---------------------------------------------------------------------------------------
// Notes
// ---------------------------------------------------------------------------------------

/** `GET|PUT .../note`. Version 0, empty text and nulls when there is no note yet. */
export const Note = z.object({
  text: z.string(),
  version: z.int().check(z.nonnegative()),
  updatedAt: z.nullable(IsoTime),
  updatedBy: z.nullable(UserRef),
});
export type Note = z.infer<typeof Note>;

/** `PUT .../note` body; send `If-Match: "<version>"`. */
export const NoteUpdate = z.object({
  text: z
    .string()
    .check(
      z.maxLength(LIMITS.noteMaxChars, `A note is at most ${LIMITS.noteMaxChars} characters`),
    ),
});
export type NoteUpdate = z.infer<typeof NoteUpdate>;

// ---------------------------------------------------------------------------------------
// Messages and merge requests
// ---------------------------------------------------------------------------------------

/** `POST .../clients/{clientId}/messages` body. */
export const MessageCreate = z.object({
  subject: text(LIMITS.subjectMaxChars),
  body: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Must not be empty'),
      z.maxLength(LIMITS.messageBodyMaxChars, `Must be at most ${LIMITS.messageBodyMaxChars} characters`),
    ),
});
export type MessageCreate = z.infer<typeof MessageCreate>;
/** 202 response of a message. */
export const MessageAccepted = z.object({ id: Id, sentAt: IsoTime });
export type MessageAccepted = z.infer<typeof MessageAccepted>;

/** `POST /v1/crms/{crmId}/merge-requests` body. */
export const MergeRequestCreate = z.object({
  clientIds: z.tuple([Id, Id]).check(
    z.refine(([a, b]) => a !== b, 'Choose two different clients'),
  ),
  reason: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
});
export type MergeRequestCreate = z.infer<typeof MergeRequestCreate>;
export const MergeRequestAccepted = z.object({ id: Id });
export type MergeRequestAccepted = z.infer<typeof MergeRequestAccepted>;

// ---------------------------------------------------------------------------------------
// Problem details
// ---------------------------------------------------------------------------------------

/**
 * RFC 9457 problem details. `errors` lists the offending fields of a 400; `current` is the
 * note as it is now on a 412 `version_conflict`.
 */
export const Problem = z.object({
  type: z.optional(z.string()),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  code: z.string(),
  errors: z.optional(z.array(FieldError)),
  current: z.optional(Note),
});
export type Problem = z.infer<typeof Problem>;

// ---------------------------------------------------------------------------------------
// Platform endpoints (the booking system's side; enabled by CRM_PLATFORM_TOKEN)
// ---------------------------------------------------------------------------------------

export const IdResponse = z.object({ id: Id });
export type IdResponse = z.infer<typeof IdResponse>;

/** `POST /v1/platform/users` */
export const PlatformUserCreate = z.object({ name: text(200), email: Email });
export type PlatformUserCreate = z.infer<typeof PlatformUserCreate>;

/** `POST /v1/platform/crms` */
export const PlatformCrmCreate = z.object({
  kind: CrmKind,
  name: text(200),
  ownerUserId: Id,
  currency: Currency,
});
export type PlatformCrmCreate = z.infer<typeof PlatformCrmCreate>;

/** `POST /v1/platform/crms/{crmId}/members` */
export const PlatformMemberCreate = z.object({ userId: Id });
export type PlatformMemberCreate = z.infer<typeof PlatformMemberCreate>;

/** `POST /v1/platform/tokens` */
export const PlatformTokenCreate = z.object({
  userId: Id,
  scopes: z.array(Scope).check(z.minLength(1, 'At least one scope')),
  ttlSeconds: z.int().check(z.minimum(1), z.maximum(60 * 60 * 24 * 365)),
});
export type PlatformTokenCreate = z.infer<typeof PlatformTokenCreate>;
export const PlatformTokenCreated = z.object({ token: z.string(), expiresAt: IsoTime });
export type PlatformTokenCreated = z.infer<typeof PlatformTokenCreated>;

/** `PUT /v1/platform/bookings/{bookingId}`: the whole booking, an idempotent upsert. */
export const PlatformBookingUpsert = z.object({
  crmId: Id,
  teacherUserId: Id,
  client: z.object({
    email: Email,
    name: text(200),
    phone: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(50)))),
    /** Stored as given; the elements check URLs before they reach `src`. */
    avatarUrl: z.optional(z.nullable(z.string().check(z.trim(), z.maxLength(2048)))),
  }),
  classTitle: text(200),
  startsAt: IsoTime,
  location: text(200),
  status: BookingStatus,
  payment: z
    .object({
      status: PaymentStatus,
      amountMinor: MinorUnits,
      refundedMinor: MinorUnits,
      currency: Currency,
    })
    .check(
      z.refine((p) => p.refundedMinor <= p.amountMinor, {
        message: 'refundedMinor must not exceed amountMinor',
        path: ['refundedMinor'],
      }),
    ),
});
export type PlatformBookingUpsert = z.infer<typeof PlatformBookingUpsert>;
export type PlatformBookingInput = z.input<typeof PlatformBookingUpsert>;
export const PlatformBookingUpserted = z.object({ id: Id, clientId: Id });
export type PlatformBookingUpserted = z.infer<typeof PlatformBookingUpserted>;

/** `POST /v1/platform/erasures` */
export const PlatformErasureCreate = z.object({ email: Email });
export type PlatformErasureCreate = z.infer<typeof PlatformErasureCreate>;
export const PlatformErasureResult = z.object({ affectedCrms: z.array(Id) });
export type PlatformErasureResult = z.infer<typeof PlatformErasureResult>;

/** `GET /v1/platform/outbox`: every email the server would have sent. */
export const OutboxItem = z.object({
  kind: z.enum(['message', 'erasure_notice']),
  to: z.string(),
  replyTo: z.nullable(z.string()),
  subject: z.string(),
  body: z.string(),
  sentAt: IsoTime,
});
export type OutboxItem = z.infer<typeof OutboxItem>;
export const Outbox = z.object({ items: z.array(OutboxItem) });
export type Outbox = z.infer<typeof Outbox>;
