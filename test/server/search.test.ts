/**
 * Search (issue 18): the same clients in the same order as a plain `ilike` scan, whichever
 * way a page is read (trigram matches first, the sort order walked first, or a 1-2
 * character search walking the sort order), on every sort and order and across pages; the
 * total stops counting at 1,000 matches (`totalCapped`), short searches included.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { sharedServer } from './shared.js';
import { TEST_NOW } from '../helpers/platform.js';
import { generateCrm } from '../../demo/server/seed/generate.js';
import {
  clientPage,
  listPage,
  WORD_BREAKS,
  type ListSort,
} from '../../demo/server/domain/clients.js';
import type { CrmAccess } from '../../demo/server/domain/context.js';
import type { ClientSort, SortOrder } from '../../src/api/schemas.js';
import { api } from './http.js';

const server = await sharedServer();
const p = server.platform;
const now = new Date(TEST_NOW);

const KEYS: Record<ClientSort, { desc: string; asc: string }> = {
  recent: { desc: 'recent_key desc, id desc', asc: 'recent_asc_key asc, id asc' },
  name: { desc: 'name_key desc, id desc', asc: 'name_key asc, id asc' },
  bookings: { desc: 'total_bookings desc, id desc', asc: 'total_bookings asc, id asc' },
  spend: { desc: 'lifetime_spend desc, id desc', asc: 'lifetime_spend asc, id asc' },
  firstBooking: { desc: 'first_key desc, id desc', asc: 'first_key asc, id asc' },
};
const SORTS = Object.keys(KEYS) as ClientSort[];
const ORDERS: SortOrder[] = ['asc', 'desc'];

describe('search', () => {
  let crmId = '';
  let http: ReturnType<typeof api>;
  let crm: CrmAccess;

  before(async () => {
    const { user, crmId: id } = await p.mentor();
    crmId = id;
    http = api(server.url, user.token);
    crm = {
      id,
      kind: 'mentor',
      name: 'Search',
      currency: 'USD',
      timeZone: 'UTC',
      ownerUserId: user.id,
      role: 'owner',
    };
    await generateCrm(server.db, {
      crmId,
      kind: 'mentor',
      clients: 2000,
      teacherIds: [user.id],
      currency: 'USD',
      now,
      seed: 18,
    });
  });

  /**
   * The ids a plain scan gives, in order: every client whose name or email contains q, or, for
   * 1-2 characters from a letter or digit, has a word that starts with q (the start of the
   * text, or after a space, - ' . _ + or @), decided here in JavaScript.
   */
  async function expected(q: string, sort: ClientSort, order: SortOrder) {
    const r = await sql<{ id: string; name: string; email: string | null }>`
      select id, name, email from clients c where c.crm_id = ${crmId}
      order by ${sql.raw(KEYS[sort][order])}
    `.execute(server.db);
    const needle = q.toLowerCase();
    const matches = (text: string | null) => {
      const t = (text ?? '').toLowerCase();
      if ([...q].length >= 3 || !/^[\p{L}\p{N}]/u.test(q)) return t.includes(needle);
      for (let i = t.indexOf(needle); i >= 0; i = t.indexOf(needle, i + 1)) {
        if (i === 0 || WORD_BREAKS.includes(t[i - 1]!)) return true;
      }
      return false;
    };
    return r.rows.filter((x) => matches(x.name) || matches(x.email)).map((x) => x.id);
  }

  /** Every page of a search through the API, following the cursor. */
  async function pages(q: string, sort: ClientSort, order: SortOrder, limit: number) {
    const ids: string[] = [];
    const totals: [number, boolean][] = [];
    let cursor: string | null = null;
    do {
      const params = new URLSearchParams({ q, sort, order, limit: String(limit) });
      if (cursor) params.set('cursor', cursor);
      const r = await http.get(`/v1/crms/${crmId}/clients?${params}`);
      assert.equal(r.status, 200, r.text);
      ids.push(...r.body.items.map((i: { id: string }) => i.id));
      totals.push([r.body.total, r.body.totalCapped]);
      cursor = r.body.nextCursor;
    } while (cursor);
    return { ids, totals };
  }

  test('first pages: the same clients in the same order as a scan, every sort and order', async () => {
    // 1 and 2 characters (no trigram), 3+ (trigram), case, accents, no match, a wildcard
    // 1-2 characters: a word's start (a dense letter, a rare pair, an accent); from a break or
    // a wildcard, a substring
    const short = ['a', 'So', 'li', 'zq', 'k', '%', '_', '.b', 'mü'];
    for (const q of [...short, 'sofia', 'SOF', 'gmail', 'o.b', 'müller', 'zzzqx', 'a_b']) {
      for (const sort of SORTS) {
        for (const order of ORDERS) {
          const want = await expected(q, sort, order);
          const params = new URLSearchParams({ q, sort, order, limit: '25' });
          const r = await http.get(`/v1/crms/${crmId}/clients?${params}`);
          assert.equal(r.status, 200);
          assert.deepEqual(
            r.body.items.map((i: { id: string }) => i.id),
            want.slice(0, 25),
            `q=${q} sort=${sort} order=${order}`,
          );
          assert.deepEqual(
            [r.body.total, r.body.totalCapped],
            want.length > 1000 ? [1000, true] : [want.length, false],
            `total of q=${q}`,
          );
        }
      }
    }
  });

  test('every page of a search, as a scan orders it; the capped total travels with the cursor', async () => {
    for (const [q, sort, order] of [
      ['sofia', 'name', 'asc'],
      ['ia', 'recent', 'desc'],
      ['com', 'spend', 'desc'],
    ] as const) {
      const want = await expected(q, sort, order);
      const got = await pages(q, sort, order, 97);
      assert.deepEqual(got.ids, want, `q=${q}`);
      const total: [number, boolean] = want.length > 1000 ? [1000, true] : [want.length, false];
      assert.ok(got.totals.every((t) => t[0] === total[0] && t[1] === total[1]));
    }
  });

  test('one or two characters find the start of a word in the name or the email, not its middle', async () => {
    const { user, crmId: id } = await p.mentor();
    const named = async (name: string, email: string) =>
      p.client(id, user.id, { name, email, bookings: 1 });
    const want = [
      await named('Lina Park', 'lp@example.com'),
      await named('Ana Li', 'ana@example.com'),
      await named('Ana-Lise Moreau', 'alm@example.com'),
      await named("Sam O'Lindsey", 'sam@example.com'),
      await named('Jo Brown', 'jo.lindgren@example.com'),
      await named('Kim Chen', 'kim+lists@example.com'),
    ];
    await named('Emilia Rossi', 'emilia@example.com');
    await named('Olivia Brandt', 'olivia@example.com');
    const userHttp = api(server.url, user.token);
    const r = await userHttp.get(`/v1/crms/${id}/clients?q=LI&sort=name`);
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.body.items.map((i: { id: string }) => i.id).sort(),
      [...want].sort(),
      'Lina, Ana Li, Ana-Lise, O’Lindsey and the emails jo.lindgren@, kim+lists@; not Emilia or Olivia',
    );
    assert.deepEqual([r.body.total, r.body.totalCapped], [6, false]);
    // three characters match anywhere again: Emilia and Olivia too
    for (const [q, name] of [
      ['lia', 'Emilia Rossi'],
      ['liv', 'Olivia Brandt'],
    ]) {
      const three = await userHttp.get(`/v1/crms/${id}/clients?q=${q}`);
      assert.deepEqual(
        three.body.items.map((i: { name: string }) => i.name),
        [name],
      );
    }
  });

  test('a search follows a renamed or erased client, and never matches across the name and the email', async () => {
    const { user, crmId: id } = await p.mentor();
    const userHttp = api(server.url, user.token);
    const found = async (q: string) =>
      (await userHttp.get(`/v1/crms/${id}/clients?${new URLSearchParams({ q })}`)).body.items.map(
        (i: { name: string }) => i.name,
      );
    await p.client(id, user.id, { name: 'Nadia Quill', email: 'nq.bloom@example.com' });
    assert.deepEqual(await found('QUILL'), ['Nadia Quill']);
    assert.deepEqual(await found('bloom@ex'), ['Nadia Quill']);
    // the end of the name and the start of the email are not one text
    assert.deepEqual(await found('quill\nnq'), []);
    assert.deepEqual(await found('quillnq'), []);
    // a new booking renames the client: the new name is found, the old one no longer
    await p.booking(id, user.id, { name: 'Nadia Thorne', email: 'nq.bloom@example.com' });
    assert.deepEqual(await found('thorne'), ['Nadia Thorne']);
    assert.deepEqual(await found('quill'), []);
    // erased: the email is gone, and so is a search by it
    await p.erase('nq.bloom@example.com');
    assert.deepEqual(await found('bloom@ex'), []);
  });

  test('short searches count up to 1,000 matches: a dense letter is capped, a rare pair is exact', async () => {
    // a letter that starts words of more than 1,000 of the 2,000 clients ("c": ".com")
    let letter = '';
    for (const ch of 'abcdefghijklmnopqrstuvwxyz') {
      if ((await expected(ch, 'recent', 'desc')).length > 1000) {
        letter = ch;
        break;
      }
    }
    assert.ok(letter, 'a dense letter');
    const dense = await http.get(`/v1/crms/${crmId}/clients?q=${letter}&limit=1`);
    assert.deepEqual([dense.body.total, dense.body.totalCapped], [1000, true]);
    const rare = await expected('xq', 'recent', 'desc');
    const few = await http.get(`/v1/crms/${crmId}/clients?q=xq&limit=1`);
    assert.deepEqual([few.body.total, few.body.totalCapped], [rare.length, false]);
  });

  test('a dense search read by walking the sort order first gives the scan’s rows too', async () => {
    // `matches` unknown or over the cap: the first rows of the sort order are read first,
    // then (too few matched there) the trigram matches
    for (const q of ['com', 'sofia', 'müller']) {
      for (const sort of SORTS) {
        for (const order of ORDERS) {
          const want = await expected(q, sort, order);
          for (const matches of [undefined, 1001]) {
            const page = await clientPage(
              server.db,
              crm,
              { q },
              { sort: sort as ListSort, order, matches },
              40,
              now,
            );
            assert.deepEqual(
              page.rows.map((r) => r.id),
              want.slice(0, 40),
              `q=${q} sort=${sort} order=${order} matches=${matches}`,
            );
          }
        }
      }
    }
  });

  test('a search whose request was aborted (a newer keystroke superseded it) reads nothing more', async () => {
    // the list aborts a superseded search; the route hands listPage the request's signal
    const statements: string[] = [];
    const counting = server.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        statements.push(args.queryId.queryId);
        return args.result;
      },
    });
    const read = (signal: AbortSignal) =>
      listPage(counting, crm, { q: 'sofia' }, { sort: 'name', order: 'asc' }, 40, now, signal);
    const aborted = new AbortController();
    const reading = read(aborted.signal);
    aborted.abort();
    await assert.rejects(reading, { name: 'AbortError' });
    assert.equal(statements.length, 0, 'no statement ran after the abort');
    // the same read, not aborted, answers
    const page = await read(new AbortController().signal);
    assert.deepEqual(
      page.rows.map((r) => r.id),
      (await expected('sofia', 'name', 'asc')).slice(0, 40),
    );
    assert.ok(statements.length >= 3);
  });
});
