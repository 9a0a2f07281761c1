/**
 * Every request body and query of the CRM HTTP API (version 1) as zod/mini schemas: what
 * the reference server validates (a bad one is a 400 `invalid_request` with the fields).
 * Responses and shared primitives are in `schemas.ts`; the browser bundle does not include
 * this module (its types are re-exported from `schemas.ts`).
 */
import * as z from 'zod/mini';
import {
  BookingStatus,
  ClientSort,
  ClientStatus,
  CrmKind,
  Currency,
  Id,
  IsoDate,
  LIMITS,
  PaymentStatus,
  Scope,
  Segment,
  SortOrder,
} from './schemas.js';

/** An ISO-8601 time; requests may carry an offset. */
export const RequestTime = z.iso.datetime({ offset: true });

const MinorUnits = z.int().check(z.nonnegative('Must not be negative'));

/** Email, compared case-insensitively after trimming: normalised to trimmed lower case. */
export const Email = z
  .string()
  .check(z.trim(), z.maxLength(254), z.email('Must be an email address'), z.toLowerCase());

/** The canonical IANA name of a time zone, or undefined when the runtime does not know it. */
export function canonicalTimeZone(zone: string): string | undefined {
  if (!zone || zone.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

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

/** One tag: 1-40 characters after trimming, no control characters. */
export const Tag = text(LIMITS.tagMaxChars);

/** `PUT /v1/crms/{crmId}/clients/{clientId}/tags` body: the whole set. */
export const TagsUpdate = z.object({
  tags: z
    .array(Tag)
    .check(z.maxLength(LIMITS.tagsMaxCount, `At most ${LIMITS.tagsMaxCount} tags per client`)),
});
export type TagsUpdate = z.infer<typeof TagsUpdate>;
/** A page of a keyset-paginated list: its size and where it goes on from. */
const pageFields = {
  limit: z._default(
    z.coerce
      .number<number | string>()
      .check(z.int(), z.minimum(LIMITS.pageMin), z.maximum(LIMITS.pageMax)),
    LIMITS.pageDefault,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(1000))),
};

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
  /** Default `recent`; with `segment=slipping` and no sort, most overdue first. */
  sort: z.optional(ClientSort),
  order: z.optional(SortOrder),
  ...pageFields,
});
/** The parsed query (defaults applied). */
export type ClientListQuery = z.infer<typeof ClientListQuery>;
/** What a caller passes (defaults optional). */
export type ClientListParams = z.input<typeof ClientListQuery>;

export const PageQuery = z.object(pageFields);
export type PageQuery = z.infer<typeof PageQuery>;
export type PageParams = z.input<typeof PageQuery>;

/**
 * `GET .../clients/{clientId}/bookings` query: `order=asc` (default, oldest first, as SPEC
 * section 3 says) or `desc` (newest first: the card opens on the most recent page). A cursor
 * continues the order it was made for.
 */
export const BookingPageQuery = z.object({
  order: z._default(SortOrder, 'asc'),
  ...pageFields,
});
export type BookingPageQuery = z.infer<typeof BookingPageQuery>;
export type BookingPageParams = z.input<typeof BookingPageQuery>;

/** `GET .../attendance`: 1 to 36 calendar months, 12 by default. */
export const AttendanceQuery = z.object({
  months: z._default(
    z.coerce.number<number | string>().check(z.int(), z.minimum(1), z.maximum(36)),
    12,
  ),
});
export type AttendanceQuery = z.infer<typeof AttendanceQuery>;

/** `GET .../note/versions`: newest first. */
export const NoteVersionsQuery = z.object({
  limit: z._default(
    z.coerce.number<number | string>().check(z.int(), z.minimum(1), z.maximum(100)),
    20,
  ),
  cursor: pageFields.cursor,
});
export type NoteVersionsQuery = z.infer<typeof NoteVersionsQuery>;

/** `PUT .../note` body; send `If-Match: "<version>"`. */
export const NoteUpdate = z.object({
  text: z
    .string()
    .check(z.maxLength(LIMITS.noteMaxChars, `A note is at most ${LIMITS.noteMaxChars} characters`)),
});
export type NoteUpdate = z.infer<typeof NoteUpdate>;

/** `POST .../clients/{clientId}/messages` body. */
export const MessageCreate = z.object({
  subject: text(LIMITS.subjectMaxChars),
  body: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'Must not be empty'),
      z.maxLength(
        LIMITS.messageBodyMaxChars,
        `Must be at most ${LIMITS.messageBodyMaxChars} characters`,
      ),
    ),
});
export type MessageCreate = z.infer<typeof MessageCreate>;

/** `POST /v1/crms/{crmId}/merge-requests` body. */
export const MergeRequestCreate = z.object({
  clientIds: z.tuple([Id, Id]).check(z.refine(([a, b]) => a !== b, 'Choose two different clients')),
  reason: z.optional(z.string().check(z.trim(), z.maxLength(1000))),
});
export type MergeRequestCreate = z.infer<typeof MergeRequestCreate>;

/** `POST .../clients/{clientId}/alerts`; `until` must be a real date, today or later. */
export const AlertCreate = z.object({
  text: text(LIMITS.alertMaxChars),
  until: z.optional(
    z.nullable(
      IsoDate.check(
        z.refine((d) => {
          const t = Date.parse(`${d}T00:00:00Z`);
          return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
        }, 'Must be a real date'),
      ),
    ),
  ),
});
export type AlertCreate = z.infer<typeof AlertCreate>;

/**
 * `GET /v1/crms/{crmId}/sessions`: `[from, to)` (default now and 7 days on; at most 31
 * days: checked by the server against the defaults), a teacher, a page.
 */
export const SessionListQuery = z.object({
  from: z.optional(RequestTime),
  to: z.optional(RequestTime),
  teacher: z.optional(Id),
  limit: z._default(
    z.coerce
      .number<number | string>()
      .check(z.int(), z.minimum(LIMITS.pageMin), z.maximum(LIMITS.pageMax)),
    LIMITS.sessionsPageDefault,
  ),
  cursor: pageFields.cursor,
});
export type SessionListQuery = z.infer<typeof SessionListQuery>;
export type SessionListParams = z.input<typeof SessionListQuery>;

/** A platform session id: 1-100 characters, no control characters. */
export const SessionId = z
  .string()
  .check(
    z.minLength(1, 'Must not be empty'),
    z.maxLength(LIMITS.sessionIdMaxChars, `Must be at most ${LIMITS.sessionIdMaxChars} characters`),
    z.regex(/^[^\p{Cc}]*$/u, 'Must not contain control characters'),
  );

/** `POST /v1/platform/users` body. */
export const PlatformUserCreate = z.object({ name: text(200), email: Email });
export type PlatformUserCreate = z.infer<typeof PlatformUserCreate>;

/** `POST /v1/platform/crms` body. */
export const PlatformCrmCreate = z.object({
  kind: CrmKind,
  name: text(200),
  ownerUserId: Id,
  currency: Currency,
  /** IANA time zone; default `UTC`. Stored under its canonical name (`europe/madrid` → `Europe/Madrid`). */
  timeZone: z.optional(
    z.pipe(
      z
        .string()
        .check(
          z.refine(canonicalTimeZone, 'Unknown time zone: use an IANA name such as Europe/Madrid'),
        ),
      z.transform((zone) => canonicalTimeZone(zone)!),
    ),
  ),
});
export type PlatformCrmCreate = z.infer<typeof PlatformCrmCreate>;

/** `POST /v1/platform/crms/{crmId}/members` body: a teacher joins a studio CRM. */
export const PlatformMemberCreate = z.object({ userId: Id });
export type PlatformMemberCreate = z.infer<typeof PlatformMemberCreate>;

/** `POST /v1/platform/tokens` body. */
export const PlatformTokenCreate = z.object({
  userId: Id,
  scopes: z.array(Scope).check(z.minLength(1, 'At least one scope')),
  ttlSeconds: z.int().check(z.minimum(1), z.maximum(60 * 60 * 24 * 365)),
});
export type PlatformTokenCreate = z.infer<typeof PlatformTokenCreate>;

/** `PUT /v1/platform/bookings/{bookingId}` body: the whole booking, an idempotent upsert. */
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
  /** The platform's id of the class occurrence: bookings with the same one are one session. */
  sessionId: z.optional(z.nullable(SessionId)),
  classTitle: text(200),
  startsAt: RequestTime,
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

/** `POST /v1/platform/erasures` body. */
export const PlatformErasureCreate = z.object({ email: Email });
export type PlatformErasureCreate = z.infer<typeof PlatformErasureCreate>;
