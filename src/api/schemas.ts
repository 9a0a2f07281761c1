/**
 * The MoveMentors CRM HTTP API (version 1) as zod/mini schemas: SPEC section 3.
 *
 * One source of truth for the contract, in two files: this one holds the responses, the
 * shared primitives and the limits (what the browser needs at run time: the elements
 * validate every response with these); `requests.ts` holds every request body and query
 * (what the server validates). Types are inferred from the schemas and share their names
 * (`ClientSummary` is both the schema and the type); this module re-exports the request
 * types, so `import type { ClientListParams } from './schemas.js'` works.
 *
 * Two files, not one, because zod schemas are not tree-shaken: every schema defined in a
 * module the browser imports lands in the bundle.
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
  /** A client alert's text, after trimming. */
  alertMaxChars: 140,
  /** Live (not expired) alerts per client. */
  alertsMaxLive: 5,
  /** A platform session id. */
  sessionIdMaxChars: 100,
  /** The sessions list's longest range, and its default from `from`. */
  sessionsMaxDays: 31,
  sessionsDefaultDays: 7,
  sessionsPageDefault: 100,
  /** The roster's note excerpt, in code points. */
  noteExcerptCodePoints: 280,
  /** A roster's "back after N days" from this many days since the last attended class. */
  returningAfterDays: 60,
} as const;

/**
 * A search of one or two characters that starts with a letter or digit matches the start of a
 * word in the name or the email, not anywhere (docs/decisions.md); the list says so under its
 * box. Other searches ("@", ".b", 3+ characters) match anywhere, as SPEC section 3 says.
 */
export const wordStartSearch = (q: string): boolean =>
  [...q].length < 3 && /^[\p{L}\p{N}]/u.test(q);

// ---------------------------------------------------------------------------------------
// Primitives
// ---------------------------------------------------------------------------------------

/** Opaque identifier. */
export const Id = z.string().check(z.minLength(1, 'Must not be empty'), z.maxLength(100));
export type Id = z.infer<typeof Id>;

/**
 * An ISO-8601 UTC time as the API sends it (`2026-06-15T12:00:00.000Z`). A plain pattern
 * rather than `z.iso.datetime()`, to keep the browser bundle small; requests are checked
 * with the full parser (`requests.ts`).
 */
export const IsoTime = z
  .string()
  .check(
    z.regex(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/,
      'Must be an ISO-8601 time',
    ),
  );
export type IsoTime = z.infer<typeof IsoTime>;

/** A calendar date `YYYY-MM-DD` (in the CRM's time zone where it says so). */
export const IsoDate = z.string().check(z.regex(/^\d{4}-\d\d-\d\d$/, 'Must be a date YYYY-MM-DD'));
export type IsoDate = z.infer<typeof IsoDate>;

/** ISO 4217 currency code. */
export const Currency = z.string().check(z.regex(/^[A-Z]{3}$/, 'Must be a 3-letter ISO 4217 code'));

/** Money in minor units of one currency: `{ amountMinor: 12500, currency: 'USD' }`. */
export const Money = z.object({ amountMinor: z.int(), currency: Currency });
export type Money = z.infer<typeof Money>;

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

export const Segment = z.enum(['growing', 'slipping']);
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
  'unsupported_media_type',
  'rate_limited',
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
  /** IANA time zone the CRM's classes are shown in (SPEC section 7), e.g. `Europe/Madrid`. */
  timeZone: z.string(),
});
export type CrmSummary = z.infer<typeof CrmSummary>;

/** `GET /v1/me` */
export const Me = z.object({ user: User, crms: z.array(CrmSummary) });
export type Me = z.infer<typeof Me>;

/** `GET /v1/crms/{crmId}/teachers`: members who teach. */
export const TeacherList = z.array(UserRef);
export type TeacherList = z.infer<typeof TeacherList>;

/** `GET /v1/crms/{crmId}/tags`: tags in use with counts. */
export const TagCount = z.object({ tag: z.string(), count: z.int() });
export type TagCount = z.infer<typeof TagCount>;
export const TagCountList = z.array(TagCount);
export type TagCountList = z.infer<typeof TagCountList>;

/** `PUT /v1/crms/{crmId}/clients/{clientId}/tags` response: the client's tags as stored. */
export const TagsResponse = z.object({ tags: z.array(z.string()) });
export type TagsResponse = z.infer<typeof TagsResponse>;

// ---------------------------------------------------------------------------------------
// Client alerts (SPEC section 7)
// ---------------------------------------------------------------------------------------

/**
 * A short pinned flag on a client ("Low-back issue: no deep forward folds"). `until`: live
 * through that day in the CRM's time zone, then gone; null: until removed.
 */
export const ClientAlert = z.object({
  id: Id,
  text: z.string(),
  until: z.nullable(IsoDate),
  createdBy: UserRef,
  createdAt: IsoTime,
});
export type ClientAlert = z.infer<typeof ClientAlert>;

/** `GET .../clients/{clientId}/alerts`: the live alerts, oldest first (`{items}`). */
export interface ClientAlertList {
  items: ClientAlert[];
}

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
  /** The earliest `booked` session starting at or after now, else null. */
  nextBookingAt: z.nullable(IsoTime),
  status: ClientStatus,
  growing: z.boolean(),
  /** Segment slipping (SPEC section 8): overdue against the client's own rhythm. */
  slipping: z.boolean(),
  tags: z.array(z.string()),
  erased: z.boolean(),
  /** The texts of the client's live alerts, oldest first. */
  alerts: z.array(z.string()),
  /** Studio CRM only: the teachers this client booked with. */
  teachers: z.optional(z.array(UserRef)),
});
export type ClientSummary = z.infer<typeof ClientSummary>;

/** `GET /v1/crms/{crmId}/clients/{clientId}` */
export const ClientDetail = z.extend(ClientSummary, {
  /** The live alerts themselves (the list has their texts). */
  alerts: z.array(ClientAlert),
  phone: z.nullable(z.string()),
  averageSpend: Money,
  messages: z.object({ lastSentAt: z.nullable(IsoTime), sentLast90Days: z.int() }),
  /**
   * Median of the gaps in calendar days between consecutive attended sessions of the last
   * 365 days (may be x.5); null with fewer than 4 attended sessions there.
   */
  typicalGapDays: z.nullable(z.number()),
  /** Calendar days from the last attended session to today (CRM time zone); null if never. */
  daysSinceAttended: z.nullable(z.int()),
});
export type ClientDetail = z.infer<typeof ClientDetail>;

/** One calendar month of `GET .../attendance` (`month`: `YYYY-MM` in the CRM's time zone). */
export const AttendanceMonth = z.object({
  month: z.string(),
  attended: z.int(),
  noShow: z.int(),
  cancelled: z.int(),
});
export type AttendanceMonth = z.infer<typeof AttendanceMonth>;

/** `GET .../clients/{clientId}/attendance?months=N`: oldest first, ending with this month. */
export const Attendance = z.object({ months: z.array(AttendanceMonth) });
export type Attendance = z.infer<typeof Attendance>;

/** Query keys that repeat in a URL (`?status=regular&status=active`). */
export const REPEATABLE_QUERY_KEYS = ['status', 'tag'] as const;

/** `GET /v1/crms/{crmId}/clients` response: one page; `nextCursor` is null on the last. */
export const ClientListPage = z.object({
  items: z.array(ClientSummary),
  nextCursor: z.nullable(z.string()),
  /** Matching clients; with a search or filter at most 1,000 (then `totalCapped`). */
  total: z.int(),
  /** True when `total` stopped counting at 1,000: show "1,000+". */
  totalCapped: z.boolean(),
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

/**
 * `GET .../clients/{clientId}/bookings` response: a page of the history, oldest first (newest
 * first with `order=desc`).
 */
export const BookingPage = z.object({
  items: z.array(Booking),
  nextCursor: z.nullable(z.string()),
});
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

/** One kept version of a note, as `GET .../note/versions` lists it (without the text). */
export const NoteVersionSummary = z.object({
  version: z.int().check(z.positive()),
  updatedAt: IsoTime,
  updatedBy: z.nullable(UserRef),
});
export type NoteVersionSummary = z.infer<typeof NoteVersionSummary>;

/** `GET .../note/versions`: newest first, the last 100 kept. */
export const NoteVersionPage = z.object({
  items: z.array(NoteVersionSummary),
  nextCursor: z.nullable(z.string()),
});
export type NoteVersionPage = z.infer<typeof NoteVersionPage>;

/** `GET .../note/versions/{version}`: one kept version with its text. */
export const NoteVersion = z.extend(NoteVersionSummary, { text: z.string() });
export type NoteVersion = z.infer<typeof NoteVersion>;

// ---------------------------------------------------------------------------------------
// Messages and merge requests
// ---------------------------------------------------------------------------------------

/** 202 response of a message. */
export const MessageAccepted = z.object({ id: Id, sentAt: IsoTime });
export type MessageAccepted = z.infer<typeof MessageAccepted>;

/** 202 response of `POST /v1/crms/{crmId}/merge-requests`. */
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

/** The id of what `POST /v1/platform/users` and `POST /v1/platform/crms` created. */
export const IdResponse = z.object({ id: Id });
export type IdResponse = z.infer<typeof IdResponse>;

/** `POST /v1/platform/tokens` response: the token, shown this once. */
export const PlatformTokenCreated = z.object({ token: z.string(), expiresAt: IsoTime });
export type PlatformTokenCreated = z.infer<typeof PlatformTokenCreated>;

/** `PUT /v1/platform/bookings/{bookingId}` response: the booking and its client. */
export const PlatformBookingUpserted = z.object({ id: Id, clientId: Id });
export type PlatformBookingUpserted = z.infer<typeof PlatformBookingUpserted>;

/** `POST /v1/platform/erasures` response: the CRMs the email was erased from. */
export const PlatformErasureResult = z.object({ affectedCrms: z.array(Id) });
export type PlatformErasureResult = z.infer<typeof PlatformErasureResult>;

/** `GET /v1/platform/outbox`: every email the server would have sent. */
export const OutboxItem = z.object({
  kind: z.enum(['message', 'erasure_notice', 'sign_in_code']),
  to: z.string(),
  replyTo: z.nullable(z.string()),
  subject: z.string(),
  body: z.string(),
  sentAt: IsoTime,
});
export type OutboxItem = z.infer<typeof OutboxItem>;
export const Outbox = z.object({ items: z.array(OutboxItem) });
export type Outbox = z.infer<typeof Outbox>;

// ---------------------------------------------------------------------------------------
// Request types (schemas in requests.ts)
// ---------------------------------------------------------------------------------------

export type {
  AlertCreate,
  BookingPageParams,
  BookingPageQuery,
  ClientListParams,
  AttendanceQuery,
  ClientListQuery,
  MergeRequestCreate,
  MessageCreate,
  NoteUpdate,
  NoteVersionsQuery,
  PageParams,
  PageQuery,
  PlatformBookingInput,
  PlatformBookingUpsert,
  PlatformCrmCreate,
  PlatformErasureCreate,
  PlatformMemberCreate,
  PlatformTokenCreate,
  PlatformUserCreate,
  SessionListParams,
  SessionListQuery,
  TagsUpdate,
} from './requests.js';
export type { RosterEntry, SessionDetail, SessionPage, SessionSummary } from './sessions.js';
