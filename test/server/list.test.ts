/** The clients list: filters, every sort and order, keyset pages and their cursors. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sharedServer } from './shared.js';
import { daysAgo, unique } from '../helpers/platform.js';
import { api, type Reply } from './http.js';

const server = await sharedServer();
const p = server.platform;

interface Item {
  id: string;
  name: string;
  email: string;
  totalBookings: number;
  lifetimeSpend: { amountMinor: number };
  firstBookingAt: string | null;
  lastBookingAt: string | null;
  status: string;
  tags: string[];
}

async function allPages(http: ReturnType<typeof api>, path: string, limit: number) {
  const items: Item[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r: Reply = await http.get(
      `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(r.status, 200, r.text);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return items;
}

/** A CRM with a varied set of clients. */
async function fixture() {
  const { user, crmId } = await p.mentor();
  const http = api(server.url, user.token);
  const ids: Record<string, string> = {};
  const add = async (
    key: string,
    name: string,
    spec: { bookings: number; lastDaysAgo: number; amountMinor?: number },
  ) => {
    ids[key] = await p.client(crmId, user.id, {
      email: `${key}-${unique()}@example.test`,
      name,
      ...spec,
    });
  };
  await add('ada', 'ada Lovelace', { bookings: 6, lastDaysAgo: 2, amountMinor: 1000 });
  await add('bob', 'Bob Marley', { bookings: 1, lastDaysAgo: 30, amountMinor: 9000 });
  await add('cy', 'Cy Twombly', { bookings: 3, lastDaysAgo: 10, amountMinor: 2000 });
  await add('dee', 'Dee Dee', { bookings: 2, lastDaysAgo: 200, amountMinor: 500 });
  await add('eve', 'Eve Arden', { bookings: 4, lastDaysAgo: 30, amountMinor: 2000 });
  // all bookings cancelled: no dates
  const zed = await p.booking(crmId, user.id, {
    email: `zed-${unique()}@example.test`,
    name: 'Zed Null',
    status: 'cancelled',
    paymentStatus: 'unpaid',
  });
  ids.zed = zed.clientId;
  return { user, crmId, http, ids };
}

describe('sorting', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  before(async () => {
    f = await fixture();
  });
  const names = async (query: string, limit = 2) =>
    (await allPages(f.http, `/v1/crms/${f.crmId}/clients?${query}`, limit)).map((i) => i.name);

  test('default sort is most recently attended first, clients who never attended last', async () => {
    // bob and eve tie on lastAttendedAt: the id breaks the tie
    const got = await names('');
    assert.deepEqual(got.slice(0, 2), ['ada Lovelace', 'Cy Twombly']);
    assert.deepEqual(new Set(got.slice(2, 4)), new Set(['Bob Marley', 'Eve Arden']));
    assert.deepEqual(got.slice(4), ['Dee Dee', 'Zed Null']);
    assert.deepEqual(await names('sort=recent&order=desc'), got);
    // ascending: the attended reversed, and the never-attended still last
    const asc = await names('sort=recent&order=asc');
    assert.deepEqual(asc.slice(0, 5), [...got.slice(0, 5)].reverse());
    assert.deepEqual(asc.slice(5), ['Zed Null']);
  });

  test('recent follows the last attended class, not an upcoming booking or a no-show', async () => {
    const { user, crmId } = await p.mentor();
    const http = api(server.url, user.token);
    const email = (k: string) => `${k}-${unique()}@example.test`;
    // Fay attended 20 days ago and has a class booked next week: she sorts by the 20 days.
    const fay = email('fay');
    await p.booking(crmId, user.id, { email: fay, name: 'Fay', startsAt: daysAgo(20) });
    await p.booking(crmId, user.id, {
      email: fay,
      name: 'Fay',
      startsAt: daysAgo(-7),
      status: 'booked',
      paymentStatus: 'unpaid',
    });
    // Gus attended 5 days ago, then missed a class 2 days ago.
    const gus = email('gus');
    await p.booking(crmId, user.id, { email: gus, name: 'Gus', startsAt: daysAgo(5) });
    await p.booking(crmId, user.id, {
      email: gus,
      name: 'Gus',
      startsAt: daysAgo(2),
      status: 'no_show',
    });
    // Hal only ever booked a class that is still to come: never attended.
    await p.booking(crmId, user.id, {
      email: email('hal'),
      name: 'Hal',
      startsAt: daysAgo(-3),
      status: 'booked',
      paymentStatus: 'unpaid',
    });
    const list = async (query: string) =>
      (await allPages(http, `/v1/crms/${crmId}/clients?${query}`, 2)).map((i) => i.name);
    assert.deepEqual(await list(''), ['Gus', 'Fay', 'Hal']);
    assert.deepEqual(await list('order=asc'), ['Fay', 'Gus', 'Hal']);
    const items = (await allPages(http, `/v1/crms/${crmId}/clients`, 50)) as unknown as {
      name: string;
      nextBookingAt: string | null;
      lastAttendedAt: string | null;
    }[];
    const byName = Object.fromEntries(items.map((i) => [i.name, i]));
    assert.equal(byName.Fay!.nextBookingAt, daysAgo(-7));
    assert.equal(byName.Fay!.lastAttendedAt, daysAgo(20));
    assert.equal(byName.Gus!.nextBookingAt, null, 'a no-show is not an upcoming class');
    assert.equal(byName.Hal!.nextBookingAt, daysAgo(-3));
    assert.equal(byName.Hal!.lastAttendedAt, null);
  });

  test('name sorts case-insensitively A to Z, desc reverses', async () => {
    const asc = ['ada Lovelace', 'Bob Marley', 'Cy Twombly', 'Dee Dee', 'Eve Arden', 'Zed Null'];
    assert.deepEqual(await names('sort=name'), asc);
    assert.deepEqual(await names('sort=name&order=asc', 4), asc);
    assert.deepEqual(await names('sort=name&order=desc', 1), [...asc].reverse());
  });

  test('bookings sorts by total bookings, most first by default', async () => {
    const got = await f.http.get(`/v1/crms/${f.crmId}/clients?sort=bookings&limit=200`);
    const totals = got.body.items.map((i: Item) => i.totalBookings);
    assert.deepEqual(totals, [6, 4, 3, 2, 1, 0]);
    const asc = await allPages(f.http, `/v1/crms/${f.crmId}/clients?sort=bookings&order=asc`, 2);
    assert.deepEqual(
      asc.map((i) => i.totalBookings),
      [0, 1, 2, 3, 4, 6],
    );
  });

  test('spend sorts by lifetime spend, most first by default; ties broken by id', async () => {
    const desc = await allPages(f.http, `/v1/crms/${f.crmId}/clients?sort=spend`, 2);
    assert.deepEqual(
      desc.map((i) => i.lifetimeSpend.amountMinor),
      [9000, 8000, 6000, 6000, 1000, 0],
    );
    const tie = desc.slice(2, 4).map((i) => i.id);
    assert.deepEqual(tie, [...tie].sort().reverse());
    const asc = await allPages(f.http, `/v1/crms/${f.crmId}/clients?sort=spend&order=asc`, 3);
    assert.deepEqual(
      asc.map((i) => i.id),
      desc.map((i) => i.id).reverse(),
    );
  });

  test('firstBooking sorts oldest first by default, clients without bookings last', async () => {
    const asc = await allPages(f.http, `/v1/crms/${f.crmId}/clients?sort=firstBooking`, 4);
    const dates = asc.map((i) => i.firstBookingAt);
    assert.equal(dates.at(-1), null);
    const real = dates.slice(0, -1) as string[];
    assert.deepEqual(real, [...real].sort());
    const desc = await allPages(
      f.http,
      `/v1/crms/${f.crmId}/clients?sort=firstBooking&order=desc`,
      4,
    );
    assert.deepEqual(
      desc.map((i) => i.id),
      asc.map((i) => i.id).reverse(),
    );
  });
});

describe('filters', () => {
  let f: Awaited<ReturnType<typeof fixture>>;
  before(async () => {
    f = await fixture();
    const tag = (id: string, tags: string[]) =>
      f.http.put(`/v1/crms/${f.crmId}/clients/${id}/tags`, { tags });
    await tag(f.ids.ada!, ['VIP', 'Morning']);
    await tag(f.ids.bob!, ['vip']);
    await tag(f.ids.cy!, ['morning']);
  });
  const get = async (query: string) => {
    const r = await f.http.get(`/v1/crms/${f.crmId}/clients?${query}`);
    assert.equal(r.status, 200, r.text);
    return { names: r.body.items.map((i: Item) => i.name).sort(), total: r.body.total };
  };

  test('status filters, repeatable', async () => {
    assert.deepEqual((await get('status=regular')).names, ['ada Lovelace']);
    assert.deepEqual((await get('status=lapsed')).names, ['Dee Dee', 'Zed Null']);
    assert.deepEqual((await get('status=active')).names, ['Bob Marley', 'Cy Twombly', 'Eve Arden']);
    const both = await get('status=regular&status=lapsed');
    assert.deepEqual(both.names, ['Dee Dee', 'Zed Null', 'ada Lovelace']);
    assert.equal(both.total, 3);
  });

  test('segment=growing: 3 to 5 bookings and not lapsed', async () => {
    assert.deepEqual((await get('segment=growing')).names, ['Cy Twombly', 'Eve Arden']);
  });

  test('tags must all match, case-insensitively', async () => {
    assert.deepEqual((await get('tag=vip')).names, ['Bob Marley', 'ada Lovelace']);
    assert.deepEqual((await get('tag=VIP&tag=MORNING')).names, ['ada Lovelace']);
    assert.deepEqual((await get('tag=nope')).names, []);
  });

  test('q searches name and email case-insensitively as a substring', async () => {
    assert.deepEqual((await get('q=LOVE')).names, ['ada Lovelace']);
    // 'bob-x-': unique()'s counter, once past 15,000 in one process, is 'bob' in base 36.
    assert.deepEqual((await get('q=bob-x-')).names, ['Bob Marley']);
    assert.deepEqual((await get('q=%25')).names, []);
    assert.deepEqual((await get('q=_')).names, []);
  });

  test('filters combine and total counts every match, not the page', async () => {
    const r = await f.http.get(`/v1/crms/${f.crmId}/clients?status=active&limit=1`);
    assert.equal(r.body.items.length, 1);
    assert.equal(r.body.total, 3);
    assert.ok(r.body.nextCursor);
    assert.deepEqual((await get('status=active&q=e')).names.length > 0, true);
  });

  test('the unfiltered total is every client of the CRM: new ones at once, concurrent ones, never a booking twice', async () => {
    const { user, crmId } = await p.mentor();
    const http = api(server.url, user.token);
    const total = async () => (await http.get(`/v1/crms/${crmId}/clients?limit=1`)).body.total;
    const counted = async () => (await allPages(http, `/v1/crms/${crmId}/clients`, 200)).length;
    assert.equal(await total(), 0);

    // 12 new clients at once, and the same person booking again under another case.
    const emails = Array.from({ length: 12 }, (_, i) => `count${i}-${unique()}@example.test`);
    await Promise.all(emails.map((email) => p.booking(crmId, user.id, { email })));
    await Promise.all([
      p.booking(crmId, user.id, { email: emails[0]!.toUpperCase() }),
      p.booking(crmId, user.id, { email: emails[1]! }),
      p.booking(crmId, user.id, { email: emails[1]! }),
    ]);
    assert.equal(await total(), 12);
    assert.equal(await counted(), 12);

    // An erased client is still a client (anonymised); another CRM's clients are not counted.
    await p.erase(emails[2]!);
    const other = await p.mentor();
    await p.booking(other.crmId, other.user.id, { email: emails[3]! });
    assert.equal(await total(), 12);
    // Filtered totals still count the matches.
    assert.equal((await http.get(`/v1/crms/${crmId}/clients?q=count1-&limit=1`)).body.total, 1);
  });

  test('an invalid query is 400 with the offending fields', async () => {
    const r = await f.http.get(`/v1/crms/${f.crmId}/clients?status=gone&sort=age&limit=500`);
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
    assert.equal(r.body.code, 'invalid_request');
    const paths = r.body.errors.map((e: { path: string }) => e.path).sort();
    assert.deepEqual(paths, ['limit', 'sort', 'status.0']);
  });
});

describe('cursors', () => {
  test('pages under concurrent inserts: no duplicate, no skip', async () => {
    const { user, crmId } = await p.mentor();
    const http = api(server.url, user.token);
    const original = new Set<string>();
    for (let i = 0; i < 25; i++) {
      const b = await p.booking(crmId, user.id, {
        email: `c${i}-${unique()}@example.test`,
        startsAt: daysAgo(1 + i),
      });
      original.add(b.clientId);
    }
    for (const sort of ['recent', 'name', 'bookings', 'spend', 'firstBooking']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let page = 0;
      do {
        const r: Reply = await http.get(
          `/v1/crms/${crmId}/clients?sort=${sort}&limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.equal(r.status, 200, r.text);
        seen.push(...r.body.items.map((i: Item) => i.id));
        cursor = r.body.nextCursor;
        // between pages, new clients arrive everywhere in the order
        await p.booking(crmId, user.id, {
          email: `new${page}-${unique()}@example.test`,
          name: `${'AZ'[page % 2]} new`,
          startsAt: daysAgo(page % 2 ? 0 : 40),
        });
        page++;
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, `${sort}: duplicates`);
      for (const id of original) assert.ok(seen.includes(id), `${sort}: skipped ${id}`);
    }
  });

  test('the last page has nextCursor null', async () => {
    const { user, crmId } = await p.mentor();
    await p.booking(crmId, user.id, { email: `${unique()}@example.test` });
    const r = await api(server.url, user.token).get(`/v1/crms/${crmId}/clients?limit=1`);
    assert.equal(r.body.nextCursor, null);
    assert.equal(r.body.total, 1);
  });

  test('a tampered, forged, or foreign cursor is 400 invalid_request', async () => {
    const { user, crmId } = await p.mentor();
    const http = api(server.url, user.token);
    for (let i = 0; i < 3; i++)
      await p.booking(crmId, user.id, { email: `${unique()}@example.test` });
    const first = await http.get(`/v1/crms/${crmId}/clients?limit=1`);
    const cursor: string = first.body.nextCursor;
    const [body, tag] = cursor.split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
    payload.key[1] = 'zzz';
    const tampered = `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${tag}`;
    const bad = [
      tampered,
      `${body}.${Buffer.alloc(18).toString('base64url')}`,
      'not-a-cursor',
      Buffer.from(JSON.stringify({ v: 1, key: ['x', 'y'] })).toString('base64url'),
    ];
    for (const c of bad) {
      const r = await http.get(`/v1/crms/${crmId}/clients?limit=1&cursor=${encodeURIComponent(c)}`);
      assert.equal(r.status, 400, c);
      assert.equal(r.body.code, 'invalid_request');
      assert.equal(r.body.errors[0].path, 'cursor');
    }
    // a valid cursor with another sort, or another CRM's query, is refused too
    const otherSort = await http.get(
      `/v1/crms/${crmId}/clients?limit=1&sort=name&cursor=${encodeURIComponent(cursor)}`,
    );
    assert.equal(otherSort.status, 400);
    const other = await p.mentor();
    const foreign = await api(server.url, other.user.token).get(
      `/v1/crms/${other.crmId}/clients?limit=1&cursor=${encodeURIComponent(cursor)}`,
    );
    assert.equal(foreign.status, 400);
    // and the genuine cursor works
    const ok = await http.get(
      `/v1/crms/${crmId}/clients?limit=1&cursor=${encodeURIComponent(cursor)}`,
    );
    assert.equal(ok.status, 200);
  });

  test('booking history is oldest first and cursor-paginated', async () => {
    const { user, crmId } = await p.mentor();
    const e = `${unique()}@example.test`;
    const starts = [40, 5, 20, 1, 30].map((d) => daysAgo(d));
    let clientId = '';
    for (const s of starts)
      clientId = (
        await p.booking(crmId, user.id, { email: e, startsAt: s, classTitle: `Class ${s}` })
      ).clientId;
    const http = api(server.url, user.token);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const r: Reply = await http.get(
        `/v1/crms/${crmId}/clients/${clientId}/bookings?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      assert.equal(r.status, 200, r.text);
      seen.push(...r.body.items.map((b: { startsAt: string }) => b.startsAt));
      cursor = r.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [...starts].sort());
    const one = (await http.get(`/v1/crms/${crmId}/clients/${clientId}/bookings?limit=1`)).body
      .items[0];
    assert.deepEqual(one.payment, {
      status: 'paid',
      amount: { amountMinor: 2000, currency: 'USD' },
      refunded: { amountMinor: 0, currency: 'USD' },
    });
    assert.deepEqual(one.teacher, { id: user.id, name: user.name });
    assert.equal(one.location, 'Studio A');
    const badCursor = await http.get(
      `/v1/crms/${crmId}/clients/${clientId}/bookings?cursor=abc.def`,
    );
    assert.equal(badCursor.status, 400);
  });
});
