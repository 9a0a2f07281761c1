/** SPEC section 8: rhythm and the segment slipping, the attendance strip, note history. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createApp } from '../../demo/server/index.js';
import { sharedServer } from './shared.js';
import {
  TEST_NOW,
  TEST_PLATFORM_TOKEN,
  daysAgo,
  unique,
  type BookingSpec,
  type Platform,
} from '../helpers/platform.js';
import { api } from './http.js';

const server = await sharedServer();
const p: Platform = server.platform;

const email = () => `${unique('client')}@example.test`;

/** A fresh mentor CRM (in `timeZone`), a reader of its clients, a way to give clients sessions. */
async function mentor(timeZone?: string) {
  const user = await p.user('Maya Mentor');
  const crmId = await p.crm('mentor', user.id, 'Maya’s clients', 'USD', timeZone);
  const http = api(server.url, user.token);
  const m = {
    user,
    crmId,
    http,
    detail: async (clientId: string) => {
      const r = await http.get(`/v1/crms/${crmId}/clients/${clientId}`);
      assert.equal(r.status, 200, r.text);
      return r.body;
    },
    /** Sessions of one new client, `days` days before the test clock each (negative: future). */
    sessions: async (days: number[], spec: Omit<BookingSpec, 'email' | 'startsAt'> = {}) => {
      const address = email();
      let clientId = '';
      for (const d of days) {
        clientId = (
          await p.booking(crmId, user.id, { ...spec, email: address, startsAt: daysAgo(d) })
        ).clientId;
      }
      return { clientId, email: address };
    },
    book: (address: string, d: number, spec: Omit<BookingSpec, 'email' | 'startsAt'> = {}) =>
      p.booking(crmId, user.id, { ...spec, email: address, startsAt: daysAgo(d) }),
    slipping: async (query = '') => {
      const r = await http.get(`/v1/crms/${crmId}/clients?segment=slipping${query}`);
      assert.equal(r.status, 200, r.text);
      return r.body as {
        items: { id: string; slipping: boolean }[];
        nextCursor: string | null;
        total: number;
      };
    },
  };
  return m;
}

describe('rhythm: typicalGapDays and daysSinceAttended', () => {
  test('the median of an odd number of gaps is the middle gap', async () => {
    const m = await mentor();
    // gaps 3, 14, 7 (in session order) -> sorted 3, 7, 14 -> 7
    const { clientId } = await m.sessions([40, 37, 23, 16]);
    const c = await m.detail(clientId);
    assert.equal(c.typicalGapDays, 7);
    assert.equal(c.daysSinceAttended, 16);
  });

  test('the median of an even number of gaps is the mean of the middle two, x.5 allowed', async () => {
    const m = await mentor();
    // gaps 3, 10, 4, 7 -> sorted 3, 4, 7, 10 -> (4 + 7) / 2
    const { clientId } = await m.sessions([30, 27, 17, 13, 6]);
    assert.equal((await m.detail(clientId)).typicalGapDays, 5.5);
  });

  test('fewer than 4 attended sessions in the last 365 days: no rhythm', async () => {
    const m = await mentor();
    // five sessions, but only three in the window: the two older ones do not count
    const { clientId } = await m.sessions([420, 400, 30, 20, 10]);
    const c = await m.detail(clientId);
    assert.equal(c.typicalGapDays, null);
    assert.equal(c.daysSinceAttended, 10);
    assert.equal(c.slipping, false);
    const three = await m.sessions([30, 20, 10]);
    assert.equal((await m.detail(three.clientId)).typicalGapDays, null);
  });

  test('no-shows and cancellations are not attended sessions', async () => {
    const m = await mentor();
    const { clientId, email: address } = await m.sessions([60, 50, 40]);
    await m.book(address, 30, { status: 'no_show' });
    await m.book(address, 20, { status: 'cancelled' });
    let c = await m.detail(clientId);
    assert.equal(c.typicalGapDays, null, 'three attended sessions: no rhythm');
    assert.equal(c.daysSinceAttended, 40);
    // a fourth attended session makes a rhythm of the attended ones only: gaps 10, 10, 30
    await m.book(address, 10);
    c = await m.detail(clientId);
    assert.equal(c.typicalGapDays, 10);
    assert.equal(c.daysSinceAttended, 10);
  });

  test('never attended: daysSinceAttended is null', async () => {
    const m = await mentor();
    const { clientId } = await m.sessions([-3], { status: 'booked' });
    const c = await m.detail(clientId);
    assert.equal(c.daysSinceAttended, null);
    assert.equal(c.typicalGapDays, null);
  });

  test('a booking that changes status is recomputed: a no-show turned completed counts', async () => {
    const m = await mentor();
    const { clientId, email: address } = await m.sessions([40, 33, 26]);
    const id = unique('bk');
    await p.booking(m.crmId, m.user.id, {
      id,
      email: address,
      startsAt: daysAgo(19),
      status: 'no_show',
    });
    assert.equal((await m.detail(clientId)).typicalGapDays, null);
    await p.booking(m.crmId, m.user.id, { id, email: address, startsAt: daysAgo(19) });
    assert.equal((await m.detail(clientId)).typicalGapDays, 7);
  });
});

describe('calendar days in the CRM time zone', () => {
  test('gaps and days since are counted in the CRM’s days, not UTC days', async () => {
    const m = await mentor('America/Los_Angeles'); // UTC-7 in May and June
    const address = email();
    let clientId = '';
    // local days 05-19, 05-27, 06-02, 06-10: gaps 8, 6, 8 (in UTC days 7, 7, 7)
    for (const at of [
      '2026-05-20T03:00:00Z',
      '2026-05-27T20:00:00Z',
      '2026-06-03T03:00:00Z',
      '2026-06-10T20:00:00Z',
    ]) {
      clientId = (await p.booking(m.crmId, m.user.id, { email: address, startsAt: at })).clientId;
    }
    const c = await m.detail(clientId);
    assert.equal(c.typicalGapDays, 8);
    assert.equal(c.daysSinceAttended, 5);
    // 22:00 on June 13th in Los Angeles is two days before today (June 15th, 05:00 there)
    const late = await p.booking(m.crmId, m.user.id, {
      email: email(),
      startsAt: '2026-06-14T05:00:00Z',
    });
    assert.equal((await m.detail(late.clientId)).daysSinceAttended, 2);
  });

  test('attendance months are the CRM’s months', async () => {
    const la = await mentor('America/Los_Angeles');
    const auckland = await mentor('Pacific/Auckland'); // UTC+12 in June
    const at = (m: Awaited<ReturnType<typeof mentor>>, startsAt: string, address: string) =>
      p.booking(m.crmId, m.user.id, { email: address, startsAt });
    const a = email();
    // 20:00 on May 31st in Los Angeles; 01:00 on June 1st in Auckland
    const inLa = await at(la, '2026-06-01T03:00:00Z', a);
    const inAuckland = await at(auckland, '2026-05-31T13:00:00Z', a);
    const months = async (m: Awaited<ReturnType<typeof mentor>>, clientId: string) =>
      (await m.http.get(`/v1/crms/${m.crmId}/clients/${clientId}/attendance?months=2`)).body.months;
    assert.deepEqual(await months(la, inLa.clientId), [
      { month: '2026-05', attended: 1, noShow: 0, cancelled: 0 },
      { month: '2026-06', attended: 0, noShow: 0, cancelled: 0 },
    ]);
    assert.deepEqual(await months(auckland, inAuckland.clientId), [
      { month: '2026-05', attended: 0, noShow: 0, cancelled: 0 },
      { month: '2026-06', attended: 1, noShow: 0, cancelled: 0 },
    ]);
  });
});

describe('segment slipping', () => {
  test('weekly, last attended 15 days ago: slipping; 14 days ago: not yet', async () => {
    const m = await mentor();
    const overdue = await m.sessions([36, 29, 22, 15]);
    const onTime = await m.sessions([35, 28, 21, 14]);
    assert.equal((await m.detail(overdue.clientId)).slipping, true);
    assert.equal((await m.detail(onTime.clientId)).slipping, false);
    const list = await m.slipping();
    assert.deepEqual(
      list.items.map((c) => c.id),
      [overdue.clientId],
    );
    assert.equal(list.total, 1);
  });

  test('the 14-day floor: every 3 days, 10 days away is not slipping, 15 days is', async () => {
    const m = await mentor();
    const ten = await m.sessions([19, 16, 13, 10]);
    const fifteen = await m.sessions([24, 21, 18, 15]);
    const d = await m.detail(ten.clientId);
    assert.equal(d.typicalGapDays, 3);
    assert.equal(d.daysSinceAttended, 10);
    assert.equal(d.slipping, false, '10 > 2 x 3 but not > 14');
    assert.equal((await m.detail(fifteen.clientId)).slipping, true);
  });

  test('above the floor, twice the typical gap: every 10 days, 20 days away is not, 21 is', async () => {
    const m = await mentor();
    const twenty = await m.sessions([50, 40, 30, 20]);
    const twentyOne = await m.sessions([51, 41, 31, 21]);
    assert.equal((await m.detail(twenty.clientId)).slipping, false);
    assert.equal((await m.detail(twentyOne.clientId)).slipping, true);
  });

  test('an upcoming booked booking: not slipping; a booked session in the past is not upcoming', async () => {
    const m = await mentor();
    const a = await m.sessions([50, 43, 36, 29]);
    assert.equal((await m.detail(a.clientId)).slipping, true);
    await m.book(a.email, -2, { status: 'booked' });
    assert.equal((await m.detail(a.clientId)).slipping, false);

    const b = await m.sessions([50, 43, 36, 29]);
    await m.book(b.email, 3, { status: 'booked' });
    await m.book(b.email, -4, { status: 'cancelled' });
    assert.equal((await m.detail(b.clientId)).slipping, true);
  });

  test('a lapsed client is not slipping', async () => {
    const m = await mentor();
    const { clientId } = await m.sessions([121, 114, 107, 100]);
    const c = await m.detail(clientId);
    assert.equal(c.status, 'lapsed');
    assert.equal(c.typicalGapDays, 7);
    assert.equal(c.slipping, false);
    assert.deepEqual((await m.slipping()).items, []);
  });

  test('slipping is a segment: the status stays, growing and slipping can both hold', async () => {
    const m = await mentor();
    const { clientId } = await m.sessions([36, 29, 22, 15]);
    const c = await m.detail(clientId);
    assert.equal(c.status, 'active');
    assert.equal(c.growing, true);
    assert.equal(c.slipping, true);
  });

  test('most overdue first (days since / typical gap), then id; an explicit sort wins', async () => {
    const m = await mentor();
    const x2 = await m.sessions([52, 45, 38, 31, 24, 17], { name: 'Ava' }); // 17 / 7 = 2.4
    const x5 = await m.sessions([35, 32, 29, 26, 20], { name: 'Bea' }); // 20 / 3 = 6.7
    const x3 = await m.sessions([100, 90, 80, 70, 60, 50, 40], { name: 'Cy' }); // 40 / 10 = 4
    let list = await m.slipping();
    assert.deepEqual(
      list.items.map((c) => c.id),
      [x5.clientId, x3.clientId, x2.clientId],
    );
    assert.ok(list.items.every((c) => c.slipping));
    list = await m.slipping('&sort=name');
    assert.deepEqual(
      list.items.map((c) => c.id),
      [x2.clientId, x5.clientId, x3.clientId],
    );
    // least overdue first when asked
    list = await m.slipping('&order=asc');
    assert.deepEqual(
      list.items.map((c) => c.id),
      [x2.clientId, x3.clientId, x5.clientId],
    );
  });

  test('the first page of the overdue order counts its matches: none, one, and not a client more', async () => {
    const m = await mentor();
    assert.deepEqual(await m.slipping(), {
      items: [],
      nextCursor: null,
      total: 0,
      totalCapped: false,
    });
    await m.sessions([30, 23, 16, 9]); // on rhythm: not slipping
    const one = await m.sessions([36, 29, 22, 15]);
    const page = await m.slipping();
    assert.deepEqual(
      [page.items.map((c) => c.id), page.total, page.nextCursor],
      [[one.clientId], 1, null],
    );
  });

  test('pages of the overdue order continue with a cursor, ties broken by id', async () => {
    const m = await mentor();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await m.sessions([36, 29, 22, 15])).clientId); // ties
    const most = await m.sessions([40, 33, 26, 19]);
    const seen: string[] = [];
    let cursor = '';
    for (;;) {
      const page = await m.slipping(
        `&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.equal(page.total, 4);
      seen.push(...page.items.map((c) => c.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    assert.deepEqual(seen, [most.clientId, ...ids.sort()]);
    // a cursor of the overdue order is not one of another sort
    const other = await m.http.get(
      `/v1/crms/${m.crmId}/clients?segment=slipping&sort=recent&cursor=${encodeURIComponent(
        (await m.slipping('&limit=1')).nextCursor!,
      )}`,
    );
    assert.equal(other.status, 400);
  });

  test('every list item says whether the client is slipping; the export follows the segment', async () => {
    const m = await mentor();
    const yes = await m.sessions([36, 29, 22, 15]);
    const no = await m.sessions([30, 23, 16, 9]);
    const r = await m.http.get(`/v1/crms/${m.crmId}/clients`);
    const byId = new Map(
      r.body.items.map((c: { id: string; slipping: boolean }) => [c.id, c.slipping]),
    );
    assert.equal(byId.get(yes.clientId), true);
    assert.equal(byId.get(no.clientId), false);
    const csv = await m.http.get(`/v1/crms/${m.crmId}/clients/export.csv?segment=slipping`);
    assert.equal(csv.status, 200);
    assert.equal(csv.text.trim().split('\n').length, 2, csv.text);
    assert.match(csv.text, new RegExp(yes.email.replace(/[.]/g, '\\.')));
  });

  test('an unknown segment is a 400 naming it', async () => {
    const m = await mentor();
    const r = await m.http.get(`/v1/crms/${m.crmId}/clients?segment=drifting`);
    assert.equal(r.status, 400);
    assert.match(r.body.errors[0].path, /^segment/);
  });

  test('the rhythm follows the 365-day window as time passes without bookings', async () => {
    const m = await mentor();
    // weekly a year ago, then once 30 days ago: gaps 7, 7, 7, 311 -> 7 today
    const { clientId } = await m.sessions([362, 355, 348, 341, 30]);
    assert.equal((await m.detail(clientId)).typicalGapDays, 7);
    // the same database 10 days later: the sessions of 362 and 355 days ago left the window
    const later = new Date(Date.parse(TEST_NOW) + 10 * 86_400_000);
    const app = createApp({
      db: server.db,
      clock: () => later,
      platformToken: TEST_PLATFORM_TOKEN,
    });
    // a token that lives past the later clock (the test tokens live an hour)
    const token = await p.token(m.user.id, ['crm:read'], 30 * 86_400);
    const r = await app.request(`/v1/crms/${m.crmId}/clients/${clientId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(r.status, 200, await r.clone().text());
    const c = (await r.json()) as { typicalGapDays: number | null; daysSinceAttended: number };
    assert.equal(c.typicalGapDays, null, 'three sessions are left in the window');
    assert.equal(c.daysSinceAttended, 40);
  });
});

describe('attendance', () => {
  test('counts attended, no-show and cancelled per calendar month, oldest first', async () => {
    const m = await mentor();
    // TEST_NOW is 2026-06-15T12:00Z
    const { clientId, email: address } = await m.sessions([10, 12]); // June: 2 attended
    await m.book(address, 20, { status: 'no_show' }); // 2026-05-26
    await m.book(address, 40, { status: 'cancelled' }); // 2026-05-06
    await m.book(address, 45); // 2026-05-01
    await m.book(address, 75); // 2026-04-01
    await m.book(address, 400); // 2025: outside 3 months
    await m.book(address, 3, { status: 'booked' }); // past but never closed: not counted
    await m.book(address, -2, { status: 'booked' }); // upcoming: not counted
    await m.book(address, -1, { status: 'completed' }); // after now: not counted
    const r = await m.http.get(`/v1/crms/${m.crmId}/clients/${clientId}/attendance?months=3`);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, {
      months: [
        { month: '2026-04', attended: 1, noShow: 0, cancelled: 0 },
        { month: '2026-05', attended: 1, noShow: 1, cancelled: 1 },
        { month: '2026-06', attended: 2, noShow: 0, cancelled: 0 },
      ],
    });
  });

  test('12 months by default, every month present, ending with the current one', async () => {
    const m = await mentor();
    const { clientId } = await m.sessions([200]);
    const r = await m.http.get(`/v1/crms/${m.crmId}/clients/${clientId}/attendance`);
    assert.equal(r.status, 200);
    const months = r.body.months.map((x: { month: string }) => x.month);
    assert.equal(months.length, 12);
    assert.equal(months[0], '2025-07');
    assert.equal(months[11], '2026-06');
    assert.equal(r.body.months[4].attended, 1, '200 days before 2026-06-15 is in November 2025');
  });

  for (const bad of ['0', '37', '1.5', 'twelve', '']) {
    test(`months=${bad || '(empty)'} is a 400 naming months`, async () => {
      const m = await mentor();
      const { clientId } = await m.sessions([5]);
      const r = await m.http.get(
        `/v1/crms/${m.crmId}/clients/${clientId}/attendance?months=${bad}`,
      );
      assert.equal(r.status, 400);
      assert.equal(r.body.code, 'invalid_request');
      assert.equal(r.body.errors[0].path, 'months');
    });
  }

  test('36 months is allowed; a client of another CRM is a 404', async () => {
    const m = await mentor();
    const other = await mentor();
    const { clientId } = await other.sessions([5]);
    const mine = await m.sessions([5]);
    const ok = await m.http.get(
      `/v1/crms/${m.crmId}/clients/${mine.clientId}/attendance?months=36`,
    );
    assert.equal(ok.body.months.length, 36);
    const r = await m.http.get(`/v1/crms/${m.crmId}/clients/${clientId}/attendance`);
    assert.equal(r.status, 404);
  });
});

describe('note history', () => {
  async function studioNote() {
    const s = await p.studio(2);
    const [t1, t2] = s.teachers as [(typeof s.teachers)[0], (typeof s.teachers)[0]];
    const { clientId } = await p.booking(s.crmId, t1.id, { email: email(), startsAt: daysAgo(3) });
    const base = `/v1/crms/${s.crmId}/clients/${clientId}/note`;
    const as = (token: string) => api(server.url, token);
    const save = async (token: string, text: string, version: number) => {
      const r = await as(token).put(base, { text }, { 'if-match': `"${version}"` });
      assert.equal(r.status, 200, r.text);
      return r.body;
    };
    return { s, t1, t2, clientId, base, as, save };
  }

  test('every saved version is kept, newest first, with who and when, without the text', async () => {
    const { t1, t2, base, as, save } = await studioNote();
    await save(t1.token, 'Knee: no deep lunges', 0);
    await save(t2.token, 'Knee: no deep lunges. Loves inversions', 1);
    await save(t1.token, 'Knee fine now. Loves inversions', 2);
    const r = await as(t2.token).get(`${base}/versions`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.deepEqual(
      r.body.items.map((v: { version: number; updatedBy: { name: string } }) => [
        v.version,
        v.updatedBy.name,
      ]),
      [
        [3, 'Teacher 1'],
        [2, 'Teacher 2'],
        [1, 'Teacher 1'],
      ],
    );
    assert.equal(r.body.items[0].updatedAt, TEST_NOW);
    assert.ok(r.body.items.every((v: object) => !('text' in v)));
    assert.equal(r.body.nextCursor, null);

    const one = await as(t1.token).get(`${base}/versions/2`);
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, {
      version: 2,
      text: 'Knee: no deep lunges. Loves inversions',
      updatedAt: TEST_NOW,
      updatedBy: { id: t2.id, name: 'Teacher 2' },
    });
  });

  test('pages of versions continue with a cursor', async () => {
    const { t1, base, as, save } = await studioNote();
    for (let v = 0; v < 5; v++) await save(t1.token, `text ${v + 1}`, v);
    const seen: number[] = [];
    let cursor = '';
    for (;;) {
      const r = await as(t1.token).get(
        `${base}/versions?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.equal(r.status, 200, r.text);
      seen.push(...r.body.items.map((v: { version: number }) => v.version));
      if (!r.body.nextCursor) break;
      cursor = r.body.nextCursor;
    }
    assert.deepEqual(seen, [5, 4, 3, 2, 1]);
  });

  test('the last 100 versions are kept: an older one is a 404', async () => {
    const { t1, base, as, save } = await studioNote();
    for (let v = 0; v < 102; v++) await save(t1.token, `v${v + 1}`, v);
    const http = as(t1.token);
    assert.equal((await http.get(`${base}/versions/1`)).status, 404);
    assert.equal((await http.get(`${base}/versions/2`)).status, 404);
    assert.equal((await http.get(`${base}/versions/3`)).body.text, 'v3');
    const page = await http.get(`${base}/versions?limit=100`);
    assert.equal(page.body.items.length, 100);
    assert.equal(page.body.items.at(-1).version, 3);
    assert.equal(page.body.nextCursor, null);
  });

  test('a version never saved is a 404; a version that is not a number is a 400', async () => {
    const { t1, base, as, save } = await studioNote();
    await save(t1.token, 'one', 0);
    const http = as(t1.token);
    assert.equal((await http.get(`${base}/versions/2`)).status, 404);
    for (const bad of ['0', '-1', 'abc', '1.5']) {
      const r = await http.get(`${base}/versions/${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.errors[0].path, 'version');
    }
    for (const bad of ['0', '101', 'x']) {
      const r = await http.get(`${base}/versions?limit=${bad}`);
      assert.equal(r.status, 400, bad);
      assert.equal(r.body.errors[0].path, 'limit');
    }
    assert.equal((await http.get(`${base}/versions?cursor=forged`)).status, 400);
  });

  test('another CRM cannot read the history; crm:read is needed', async () => {
    const { t1, base, save, clientId } = await studioNote();
    await save(t1.token, 'private', 0);
    const stranger = await mentor();
    const r = await stranger.http.get(
      `/v1/crms/${stranger.crmId}/clients/${clientId}/note/versions`,
    );
    assert.equal(r.status, 404);
    const outsider = await api(server.url, stranger.user.token).get(`${base}/versions/1`);
    assert.equal(outsider.status, 404);
    const writeOnly = await p.token(t1.id, ['crm:write']);
    assert.equal((await api(server.url, writeOnly).get(`${base}/versions`)).status, 403);
  });

  test('erasure removes the history with the note', async () => {
    const s = await p.studio(1);
    const t1 = s.teachers[0]!;
    const address = email();
    const { clientId } = await p.booking(s.crmId, t1.id, { email: address, startsAt: daysAgo(3) });
    const base = `/v1/crms/${s.crmId}/clients/${clientId}/note`;
    const http = api(server.url, t1.token);
    await http.put(base, { text: 'Secret' }, { 'if-match': '"0"' });
    await http.put(base, { text: 'Secret 2' }, { 'if-match': '"1"' });
    await p.erase(address);
    assert.deepEqual((await http.get(`${base}/versions`)).body.items, []);
    assert.equal((await http.get(`${base}/versions/1`)).status, 404);
    const left = await server.db
      .selectFrom('note_versions')
      .select('version')
      .where('client_id', '=', clientId)
      .execute();
    assert.deepEqual(left, []);
  });
});
