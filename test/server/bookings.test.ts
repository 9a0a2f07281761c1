/** A client's booking history: newest-first pages (`order=desc`) and their cursors. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedServer } from './shared.js';
import { daysAgo, unique } from '../helpers/platform.js';
import { api, type Reply } from './http.js';

const server = await sharedServer();
const p = server.platform;

/**
 * A client with bookings on the given days before the test clock (negative: upcoming), two of
 * them at the same start so that the id breaks the tie. Created out of order on purpose.
 */
async function history(days = [40, 5, 20, 1, -3, 30, 20]) {
  const { user, crmId } = await p.mentor();
  const email = `${unique()}@example.test`;
  let clientId = '';
  for (const [i, d] of days.entries()) {
    ({ clientId } = await p.booking(crmId, user.id, {
      id: `bk-${i}-${unique()}`,
      email,
      startsAt: daysAgo(d),
      status: d < 0 ? 'booked' : 'completed',
      classTitle: `Class ${i}`,
    }));
  }
  const http = api(server.url, user.token);
  return { http, base: `/v1/crms/${crmId}/clients/${clientId}/bookings` };
}

type Page = { items: { id: string; startsAt: string }[]; nextCursor: string | null };

async function allPages(http: ReturnType<typeof api>, path: string) {
  const pages: Page['items'][] = [];
  let cursor: string | null = null;
  do {
    const r: Reply<Page> = await http.get(
      `${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    assert.equal(r.status, 200, r.text);
    pages.push(r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return pages;
}

const key = (b: { id: string; startsAt: string }) => `${b.startsAt} ${b.id}`;

describe('booking history order', () => {
  test('order=desc pages newest first, upcoming included, the exact reverse of oldest first', async () => {
    const { http, base } = await history();
    const asc = (await allPages(http, `${base}?limit=3`)).flat();
    const pages = await allPages(http, `${base}?limit=3&order=desc`);
    assert.deepEqual(
      pages.map((page) => page.length),
      [3, 3, 1],
    );
    const desc = pages.flat();
    assert.equal(desc.length, 7);
    assert.deepEqual(desc, [...asc].reverse());
    // Newest first by (startsAt, id): the upcoming class, then 1 day ago, ...
    assert.equal(desc[0]!.startsAt, daysAgo(-3));
    assert.equal(desc[1]!.startsAt, daysAgo(1));
    assert.deepEqual(
      desc.map(key),
      desc.map(key).sort((a, b) => (a < b ? 1 : -1)),
    );
    // The two bookings at the same start are both there once, in id order descending.
    const tied = desc.filter((b) => b.startsAt === daysAgo(20));
    assert.equal(tied.length, 2);
    assert.ok(tied[0]!.id > tied[1]!.id);
  });

  test('order=asc is the default, and the first newest page is the last oldest-first one reversed', async () => {
    const { http, base } = await history();
    const plain = (await http.get(`${base}?limit=50`)).body as Page;
    const asc = (await http.get(`${base}?limit=50&order=asc`)).body as Page;
    assert.deepEqual(plain.items, asc.items);
    const newest = (await http.get(`${base}?limit=2&order=desc`)).body as Page;
    assert.deepEqual(newest.items, asc.items.slice(-2).reverse());
  });

  test('a cursor continues only the order it was made for', async () => {
    const { http, base } = await history();
    const desc = (await http.get(`${base}?limit=2&order=desc`)).body as Page;
    const asc = (await http.get(`${base}?limit=2`)).body as Page;
    const crossed = await http.get(
      `${base}?limit=2&order=asc&cursor=${encodeURIComponent(desc.nextCursor!)}`,
    );
    assert.equal(crossed.status, 400, crossed.text);
    assert.equal(crossed.body.code, 'invalid_request');
    assert.match(JSON.stringify(crossed.body), /cursor/);
    const crossedBack = await http.get(
      `${base}?limit=2&order=desc&cursor=${encodeURIComponent(asc.nextCursor!)}`,
    );
    assert.equal(crossedBack.status, 400, crossedBack.text);
  });

  test('an unknown order is a 400 naming the field', async () => {
    const { http, base } = await history([1]);
    const r = await http.get(`${base}?order=newest`);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.code, 'invalid_request');
    assert.ok(
      (r.body.errors as { path: string }[]).some((e) => e.path === 'order'),
      JSON.stringify(r.body),
    );
  });
});
