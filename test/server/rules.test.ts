/** SPEC section 2: the derived client fields, recomputed on every booking change. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedServer } from './shared.js';
import { daysAgo, unique, type Platform } from '../helpers/platform.js';
import { api } from './http.js';

const server = await sharedServer();
const p = server.platform;

/** A fresh mentor CRM and a reader of its clients. */
async function mentor() {
  const { user, crmId } = await p.mentor();
  const http = api(server.url, user.token);
  return {
    user,
    crmId,
    http,
    detail: async (clientId: string) => {
      const r = await http.get(`/v1/crms/${crmId}/clients/${clientId}`);
      assert.equal(r.status, 200, r.text);
      return r.body;
    },
    booking: (spec: Parameters<Platform['booking']>[2]) => p.booking(crmId, user.id, spec),
  };
}
const email = () => `${unique('client')}@example.test`;

describe('status', () => {
  test('lapsed wins over regular at 8 bookings', async () => {
    const m = await mentor();
    const id = await p.client(m.crmId, m.user.id, {
      email: email(),
      bookings: 8,
      lastDaysAgo: 120,
    });
    const c = await m.detail(id);
    assert.equal(c.totalBookings, 8);
    assert.equal(c.status, 'lapsed');
    assert.equal(c.growing, false);
  });

  test('regular at 5 bookings within 90 days, active at 4', async () => {
    const m = await mentor();
    const five = await p.client(m.crmId, m.user.id, {
      email: email(),
      bookings: 5,
      lastDaysAgo: 3,
    });
    const four = await p.client(m.crmId, m.user.id, {
      email: email(),
      bookings: 4,
      lastDaysAgo: 3,
    });
    assert.equal((await m.detail(five)).status, 'regular');
    assert.equal((await m.detail(four)).status, 'active');
  });

  test('a last booking exactly 90 days ago is not lapsed; one millisecond earlier is', async () => {
    const m = await mentor();
    const edge = await m.booking({ email: email(), startsAt: daysAgo(90) });
    const past = await m.booking({
      email: email(),
      startsAt: new Date(Date.parse(daysAgo(90)) - 1).toISOString(),
    });
    assert.equal((await m.detail(edge.clientId)).status, 'active');
    assert.equal((await m.detail(past.clientId)).status, 'lapsed');
  });

  test('a client whose only booking is cancelled has no booking dates and is lapsed', async () => {
    const m = await mentor();
    const b = await m.booking({
      email: email(),
      status: 'cancelled',
      paymentStatus: 'refunded',
      refundedMinor: 2000,
    });
    const c = await m.detail(b.clientId);
    assert.equal(c.totalBookings, 0);
    assert.equal(c.lastBookingAt, null);
    assert.equal(c.firstBookingAt, null);
    assert.equal(c.status, 'lapsed');
  });

  test('an upcoming booking keeps an old client from being lapsed', async () => {
    const m = await mentor();
    const e = email();
    await m.booking({ email: e, startsAt: daysAgo(200) });
    const b = await m.booking({ email: e, startsAt: daysAgo(-7), status: 'booked' });
    const c = await m.detail(b.clientId);
    assert.equal(c.status, 'active');
    assert.equal(c.lastBookingAt, daysAgo(-7));
    assert.equal(c.lastAttendedAt, daysAgo(200));
  });
});

describe('segment growing', () => {
  for (const [n, growing] of [
    [2, false],
    [3, true],
    [4, true],
    [5, true],
    [6, false],
  ] as const) {
    test(`${n} recent bookings: growing is ${growing}`, async () => {
      const m = await mentor();
      const id = await p.client(m.crmId, m.user.id, {
        email: email(),
        bookings: n,
        lastDaysAgo: 5,
      });
      assert.equal((await m.detail(id)).growing, growing);
    });
  }

  test('growing at 5 bookings while status is regular (segments do not change status)', async () => {
    const m = await mentor();
    const id = await p.client(m.crmId, m.user.id, { email: email(), bookings: 5, lastDaysAgo: 5 });
    const c = await m.detail(id);
    assert.equal(c.status, 'regular');
    assert.equal(c.growing, true);
  });

  test('a lapsed client with 3 to 5 bookings is not growing', async () => {
    const m = await mentor();
    const id = await p.client(m.crmId, m.user.id, {
      email: email(),
      bookings: 4,
      lastDaysAgo: 100,
    });
    const c = await m.detail(id);
    assert.equal(c.status, 'lapsed');
    assert.equal(c.growing, false);
  });
});

describe('totals and lifetime spend', () => {
  test('cancelled bookings are excluded from totals and booking dates', async () => {
    const m = await mentor();
    const e = email();
    await m.booking({ email: e, startsAt: daysAgo(30) });
    await m.booking({
      email: e,
      startsAt: daysAgo(60),
      status: 'cancelled',
      paymentStatus: 'refunded',
      refundedMinor: 2000,
    });
    const b = await m.booking({
      email: e,
      startsAt: daysAgo(5),
      status: 'cancelled',
      paymentStatus: 'unpaid',
    });
    const c = await m.detail(b.clientId);
    assert.equal(c.totalBookings, 1);
    assert.equal(c.firstBookingAt, daysAgo(30));
    assert.equal(c.lastBookingAt, daysAgo(30));
  });

  test('an upcoming booked class counts in totals and lastBookingAt but not in spend', async () => {
    const m = await mentor();
    const e = email();
    await m.booking({ email: e, startsAt: daysAgo(10), amountMinor: 2500 });
    const b = await m.booking({
      email: e,
      startsAt: daysAgo(-3),
      status: 'booked',
      paymentStatus: 'paid',
      amountMinor: 9000,
    });
    const c = await m.detail(b.clientId);
    assert.equal(c.totalBookings, 2);
    assert.equal(c.lastBookingAt, daysAgo(-3));
    assert.equal(c.lastAttendedAt, daysAgo(10));
    assert.deepEqual(c.lifetimeSpend, { amountMinor: 2500, currency: 'USD' });
    assert.deepEqual(c.averageSpend, { amountMinor: 2500, currency: 'USD' });
  });

  test('refunds reduce spend: full refund counts zero, a partial refund counts the rest', async () => {
    const m = await mentor();
    const e = email();
    await m.booking({ email: e, startsAt: daysAgo(20), amountMinor: 3000 });
    await m.booking({
      email: e,
      startsAt: daysAgo(15),
      amountMinor: 3000,
      paymentStatus: 'refunded',
      refundedMinor: 3000,
    });
    const b = await m.booking({
      email: e,
      startsAt: daysAgo(10),
      amountMinor: 3000,
      paymentStatus: 'partially_refunded',
      refundedMinor: 1000,
    });
    const c = await m.detail(b.clientId);
    assert.equal(c.lifetimeSpend.amountMinor, 3000 + 0 + 2000);
    assert.equal(c.totalBookings, 3);
    // three bookings are counted in spend (the refunded one adds 0): 5000 / 3
    assert.equal(c.averageSpend.amountMinor, Math.round(5000 / 3));
  });

  test('kept money of a no-show and of a late cancellation still counts', async () => {
    const m = await mentor();
    const e = email();
    await m.booking({ email: e, startsAt: daysAgo(20), status: 'no_show', amountMinor: 1800 });
    const b = await m.booking({
      email: e,
      startsAt: daysAgo(10),
      status: 'cancelled',
      amountMinor: 2200,
    });
    const c = await m.detail(b.clientId);
    assert.equal(c.lifetimeSpend.amountMinor, 4000);
    assert.equal(c.totalBookings, 1);
    assert.equal(c.lastAttendedAt, null);
  });

  test('unpaid bookings add nothing to spend and average spend is 0 without counted bookings', async () => {
    const m = await mentor();
    const b = await m.booking({ email: email(), paymentStatus: 'unpaid', amountMinor: 5000 });
    const c = await m.detail(b.clientId);
    assert.equal(c.lifetimeSpend.amountMinor, 0);
    assert.equal(c.averageSpend.amountMinor, 0);
    assert.equal(c.totalBookings, 1);
  });

  test('the same booking upserted again replaces it and never counts twice', async () => {
    const m = await mentor();
    const e = email();
    const id = unique('bk');
    await m.booking({
      id,
      email: e,
      status: 'booked',
      startsAt: daysAgo(-1),
      paymentStatus: 'paid',
    });
    await m.booking({
      id,
      email: e,
      status: 'booked',
      startsAt: daysAgo(-1),
      paymentStatus: 'paid',
    });
    let c = await m.detail(
      (await m.booking({ id, email: e, startsAt: daysAgo(1), status: 'completed' })).clientId,
    );
    assert.equal(c.totalBookings, 1);
    assert.equal(c.lifetimeSpend.amountMinor, 2000);
    // then refunded, then cancelled: still one booking, recomputed each time
    c = await m.detail(
      (
        await m.booking({
          id,
          email: e,
          startsAt: daysAgo(1),
          paymentStatus: 'refunded',
          refundedMinor: 2000,
        })
      ).clientId,
    );
    assert.equal(c.lifetimeSpend.amountMinor, 0);
    c = await m.detail(
      (
        await m.booking({
          id,
          email: e,
          startsAt: daysAgo(1),
          status: 'cancelled',
          paymentStatus: 'refunded',
          refundedMinor: 2000,
        })
      ).clientId,
    );
    assert.equal(c.totalBookings, 0);
  });

  test('concurrent upserts of one client count every booking once', async () => {
    const m = await mentor();
    const e = email();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => m.booking({ email: e, startsAt: daysAgo(i + 1) })),
    );
    assert.equal(new Set(results.map((r) => r.clientId)).size, 1);
    const c = await m.detail(results[0]!.clientId);
    assert.equal(c.totalBookings, 12);
    assert.equal(c.lifetimeSpend.amountMinor, 24_000);
  });

  test('a booking moved to another email is recomputed on both clients', async () => {
    const m = await mentor();
    const id = unique('bk');
    const a = await m.booking({ id, email: email() });
    const b = await m.booking({ id, email: email() });
    assert.notEqual(a.clientId, b.clientId);
    assert.equal((await m.detail(a.clientId)).totalBookings, 0);
    assert.equal((await m.detail(b.clientId)).totalBookings, 1);
  });
});

describe('identity', () => {
  test('emails match case-insensitively after trimming: one client', async () => {
    const m = await mentor();
    const local = unique('Mixed');
    const a = await m.booking({ email: `  ${local}@Example.TEST ` });
    const b = await m.booking({ email: `${local.toLowerCase()}@example.test` });
    assert.equal(a.clientId, b.clientId);
    const c = await m.detail(a.clientId);
    assert.equal(c.email, `${local.toLowerCase()}@example.test`);
    assert.equal(c.totalBookings, 2);
  });

  test('two different emails are two clients, never merged', async () => {
    const m = await mentor();
    const a = await m.booking({ email: email(), name: 'Same Person' });
    const b = await m.booking({ email: email(), name: 'Same Person' });
    assert.notEqual(a.clientId, b.clientId);
  });

  test('name, phone and avatar come from the most recent booking by start time', async () => {
    const m = await mentor();
    const e = email();
    await m.booking({
      email: e,
      name: 'New Name',
      phone: '+1 555 0100',
      avatarUrl: 'https://img.example/new.jpg',
      startsAt: daysAgo(2),
    });
    // written later but an older session: does not win
    const b = await m.booking({
      email: e,
      name: 'Old Name',
      phone: '+1 555 0199',
      startsAt: daysAgo(40),
    });
    const c = await m.detail(b.clientId);
    assert.equal(c.name, 'New Name');
    assert.equal(c.phone, '+1 555 0100');
    assert.equal(c.avatarUrl, 'https://img.example/new.jpg');
  });

  test('a guest booking creates the client in that CRM only', async () => {
    const m1 = await mentor();
    const m2 = await mentor();
    const e = email();
    const a = await m1.booking({ email: e });
    const b = await m2.booking({ email: e });
    assert.notEqual(a.clientId, b.clientId);
    const r = await m2.http.get(`/v1/crms/${m2.crmId}/clients`);
    assert.equal(r.body.total, 1);
  });
});

describe('platform booking validation', () => {
  test('a booking in another currency than the CRM is 400 and changes nothing', async () => {
    const m = await mentor();
    const e = email();
    await assert.rejects(m.booking({ email: e, currency: 'EUR' }), /400.*payment\.currency/);
    const list = await m.http.get(`/v1/crms/${m.crmId}/clients`);
    assert.equal(list.body.total, 0);
  });

  test('refundedMinor above amountMinor, a bad status or a non-member teacher is 400', async () => {
    const m = await mentor();
    await assert.rejects(
      m.booking({ email: email(), amountMinor: 100, refundedMinor: 200 }),
      /400.*payment\.refundedMinor/,
    );
    await assert.rejects(m.booking({ email: email(), status: 'lost' as never }), /400.*status/);
    const stranger = await p.user('Stranger');
    await assert.rejects(
      m.booking({ email: email(), teacherUserId: stranger.id }),
      /400.*teacherUserId/,
    );
    await assert.rejects(m.booking({ email: 'not-an-email' }), /400.*client\.email/);
  });
});

describe('studio teachers', () => {
  test('a studio client lists the teachers it booked with; the teacher filter finds it', async () => {
    const s = await p.studio(2);
    const [t1, t2] = s.teachers;
    const e = email();
    await p.booking(s.crmId, t1!.id, { email: e });
    const b = await p.booking(s.crmId, t2!.id, { email: e });
    const other = await p.booking(s.crmId, t1!.id, { email: email() });
    const http = api(server.url, t1!.token);
    const c = (await http.get(`/v1/crms/${s.crmId}/clients/${b.clientId}`)).body;
    assert.deepEqual(c.teachers.map((t: { id: string }) => t.id).sort(), [t1!.id, t2!.id].sort());
    const filtered = await http.get(`/v1/crms/${s.crmId}/clients?teacher=${t2!.id}`);
    assert.deepEqual(
      filtered.body.items.map((i: { id: string }) => i.id),
      [b.clientId],
    );
    assert.equal(filtered.body.total, 1);
    const teachers = await http.get(`/v1/crms/${s.crmId}/teachers`);
    assert.deepEqual(
      teachers.body.map((t: { id: string }) => t.id).sort(),
      [t1!.id, t2!.id].sort(),
    );
    assert.ok(other.clientId);
  });

  test('a mentor CRM list has no teachers field', async () => {
    const m = await mentor();
    const b = await m.booking({ email: email() });
    const list = await m.http.get(`/v1/crms/${m.crmId}/clients`);
    assert.equal(list.body.items[0].id, b.clientId);
    assert.equal('teachers' in list.body.items[0], false);
  });
});
