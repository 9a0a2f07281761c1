/**
 * Seeding through the platform API, the way the booking system feeds the CRM. Isomorphic:
 * runs in Node (server tests) and in the browser (element tests), on plain `fetch`.
 *
 * Every test seeds what it needs in fresh users and CRMs: tests never share mutable data.
 */
import {
  Scope,
  type BookingStatus,
  type CrmKind,
  type OutboxItem,
  type PaymentStatus,
  type PlatformBookingInput,
} from '../../src/api/schemas.js';

/** The fixed clock of every test run (`CRM_NOW`). */
export const TEST_NOW = '2026-06-15T12:00:00.000Z';
export const TEST_PLATFORM_TOKEN = 'test-platform-token-0123456789';

const DAY = 86_400_000;
/** An ISO time `days` days before the test clock (negative: in the future). */
export const daysAgo = (days: number, from = TEST_NOW) =>
  new Date(Date.parse(from) - days * DAY).toISOString();

let counter = 0;
/** A value unique within this test run (ids, emails). */
export const unique = (prefix = 'x') =>
  `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 7)}`;

export interface SeededUser {
  id: string;
  name: string;
  email: string;
  /** A token with every scope (or the scopes asked for). */
  token: string;
}

export interface BookingSpec {
  id?: string;
  email: string;
  name?: string;
  phone?: string | null;
  avatarUrl?: string | null;
  teacherUserId?: string;
  classTitle?: string;
  startsAt?: string;
  location?: string;
  status?: BookingStatus;
  paymentStatus?: PaymentStatus;
  amountMinor?: number;
  refundedMinor?: number;
  currency?: string;
  /** The platform's id of the class occurrence (SPEC section 7). */
  sessionId?: string;
}

export class Platform {
  /** The currency of each CRM this helper created: bookings default to it. */
  readonly #currencies = new Map<string, string>();

  constructor(
    readonly apiBase: string,
    readonly platformToken = TEST_PLATFORM_TOKEN,
  ) {}

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<T> {
    const res = await fetch(`${this.apiBase}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token ?? this.platformToken}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async user(name = 'Test Teacher', scopes: readonly Scope[] = Scope.options): Promise<SeededUser> {
    const email = `${unique('user')}@example.test`;
    const { id } = await this.request<{ id: string }>('POST', '/v1/platform/users', {
      name,
      email,
    });
    const token = await this.token(id, scopes);
    return { id, name, email, token };
  }

  async token(
    userId: string,
    scopes: readonly Scope[] = Scope.options,
    ttlSeconds = 3600,
  ): Promise<string> {
    const res = await this.request<{ token: string }>('POST', '/v1/platform/tokens', {
      userId,
      scopes,
      ttlSeconds,
    });
    return res.token;
  }

  async crm(
    kind: CrmKind,
    ownerUserId: string,
    name = `${kind} CRM`,
    currency = 'USD',
    timeZone?: string,
  ) {
    const { id } = await this.request<{ id: string }>('POST', '/v1/platform/crms', {
      kind,
      name,
      ownerUserId,
      currency,
      ...(timeZone ? { timeZone } : {}),
    });
    this.#currencies.set(id, currency);
    return id;
  }

  async addMember(crmId: string, userId: string): Promise<void> {
    await this.request('POST', `/v1/platform/crms/${crmId}/members`, { userId });
  }

  /** A mentor with their own CRM. */
  async mentor(name = 'Maya Mentor', currency = 'USD') {
    const user = await this.user(name);
    const crmId = await this.crm('mentor', user.id, `${name}'s clients`, currency);
    return { user, crmId };
  }

  /** A studio CRM with an owner and `teachers` teaching members. */
  async studio(teachers = 2, currency = 'EUR') {
    const owner = await this.user('Olive Owner');
    const crmId = await this.crm('studio', owner.id, 'Test Studio', currency);
    const members: SeededUser[] = [];
    for (let i = 0; i < teachers; i++) {
      const t = await this.user(`Teacher ${i + 1}`);
      await this.addMember(crmId, t.id);
      members.push(t);
    }
    return { owner, teachers: members, crmId };
  }

  /** Upserts one booking; returns its id and the client's id. */
  async booking(crmId: string, teacherUserId: string, spec: BookingSpec) {
    const id = spec.id ?? unique('bk');
    const body: PlatformBookingInput = {
      crmId,
      teacherUserId: spec.teacherUserId ?? teacherUserId,
      client: {
        email: spec.email,
        name: spec.name ?? spec.email.split('@')[0]!,
        ...(spec.phone !== undefined ? { phone: spec.phone } : {}),
        ...(spec.avatarUrl !== undefined ? { avatarUrl: spec.avatarUrl } : {}),
      },
      ...(spec.sessionId !== undefined ? { sessionId: spec.sessionId } : {}),
      classTitle: spec.classTitle ?? 'Vinyasa Flow',
      startsAt: spec.startsAt ?? daysAgo(10),
      location: spec.location ?? 'Studio A',
      status: spec.status ?? 'completed',
      payment: {
        status: spec.paymentStatus ?? 'paid',
        amountMinor: spec.amountMinor ?? 2000,
        refundedMinor: spec.refundedMinor ?? 0,
        currency: spec.currency ?? this.#currencies.get(crmId) ?? 'USD',
      },
    };
    const res = await this.request<{ id: string; clientId: string }>(
      'PUT',
      `/v1/platform/bookings/${encodeURIComponent(id)}`,
      body,
    );
    return res;
  }

  /**
   * `n` completed, paid bookings for one client, `spacingDays` apart, the latest
   * `lastDaysAgo` days before the test clock. Returns the client id.
   */
  async client(
    crmId: string,
    teacherUserId: string,
    spec: Omit<BookingSpec, 'startsAt' | 'id'> & {
      bookings?: number;
      lastDaysAgo?: number;
      spacingDays?: number;
    },
  ): Promise<string> {
    const n = spec.bookings ?? 1;
    let clientId = '';
    for (let i = 0; i < n; i++) {
      const res = await this.booking(crmId, teacherUserId, {
        ...spec,
        startsAt: daysAgo((spec.lastDaysAgo ?? 10) + (n - 1 - i) * (spec.spacingDays ?? 7)),
      });
      clientId = res.clientId;
    }
    return clientId;
  }

  async erase(email: string) {
    return this.request<{ affectedCrms: string[] }>('POST', '/v1/platform/erasures', { email });
  }

  async outbox(): Promise<OutboxItem[]> {
    return (await this.request<{ items: OutboxItem[] }>('GET', '/v1/platform/outbox')).items;
  }
}
