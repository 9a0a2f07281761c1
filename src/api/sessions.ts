/**
 * Sessions and rosters (SPEC section 7): their response schemas and calls. Apart from
 * `schemas.ts` because only `<mm-session-roster>` needs them, and the standalone bundle loads
 * the roster on first use: these schemas travel with it (zod schemas are not tree-shaken).
 * `schemas.ts` re-exports the types.
 */
import * as z from 'zod/mini';
import type { CallOptions, CrmClient } from './client.js';
import type { SessionListParams } from './requests.js';
import { BookingStatus, ClientAlert, ClientStatus, Id, IsoTime, UserRef } from './schemas.js';

/**
 * One class occurrence: the bookings with one platform `sessionId`, or else with the same
 * teacher, start, title and location. `booked` counts its non-cancelled bookings;
 * `firstTimers` and `withAlerts` count those whose client comes for the first time, or has
 * live alerts.
 */
export const SessionSummary = z.object({
  id: Id,
  classTitle: z.string(),
  startsAt: IsoTime,
  location: z.string(),
  teacher: UserRef,
  booked: z.int(),
  firstTimers: z.int(),
  withAlerts: z.int(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

/** `GET /v1/crms/{crmId}/sessions`: ordered by start, then id. */
export const SessionPage = z.object({
  items: z.array(SessionSummary),
  nextCursor: z.nullable(z.string()),
});
export type SessionPage = z.infer<typeof SessionPage>;

/** One non-cancelled booking of a session, with what to know about its client beforehand. */
export const RosterEntry = z.object({
  client: z.object({
    id: Id,
    name: z.string(),
    avatarUrl: z.nullable(z.string()),
    status: ClientStatus,
    erased: z.boolean(),
    tags: z.array(z.string()),
  }),
  bookingStatus: BookingStatus,
  /** No earlier non-cancelled booking in this CRM. */
  firstTime: z.boolean(),
  /** This client's non-cancelled bookings up to and including this one. */
  classNumber: z.int(),
  /** `classNumber` when it is 10, 25, 50, 100, 150, 200, ...; else null. */
  milestone: z.nullable(z.int()),
  /** Days since the previous attended class, when 60 or more; else null. */
  returningAfterDays: z.nullable(z.int()),
  alerts: z.array(ClientAlert),
  /** The first 280 code points of the note, nothing added; null without a note. */
  note: z.nullable(z.object({ excerpt: z.string(), updatedAt: z.nullable(IsoTime) })),
});
export type RosterEntry = z.infer<typeof RosterEntry>;

/** `GET /v1/crms/{crmId}/sessions/{sessionId}`: the session and its roster. */
export const SessionDetail = z.extend(SessionSummary, { roster: z.array(RosterEntry) });
export type SessionDetail = z.infer<typeof SessionDetail>;

const sessionsPath = (crmId: string) => `/v1/crms/${encodeURIComponent(crmId)}/sessions`;

export function listSessions(
  client: CrmClient,
  crmId: string,
  query: SessionListParams = {},
  o?: CallOptions,
): Promise<SessionPage> {
  return client.request('get', sessionsPath(crmId), SessionPage, o, { query });
}

export function getSession(
  client: CrmClient,
  crmId: string,
  sessionId: string,
  o?: CallOptions,
): Promise<SessionDetail> {
  const path = `${sessionsPath(crmId)}/${encodeURIComponent(sessionId)}`;
  return client.request('get', path, SessionDetail, o);
}
