/**
 * Sessions, rosters and client alerts (SPEC section 7): how bookings make sessions, the
 * sessions list's range and pages, the roster's badges, alerts' limits and expiry, who sees
 * what, and erasure.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createApp } from '../../demo/server/index.js';
import { sharedServer } from './shared.js';
import { TEST_NOW, daysAgo, unique } from '../helpers/platform.js';
import { api } from './http.js';

const server = await sharedServer();
const p = server.platform;

const inDays = (days: number, hour = 0) =>
  new Date(Date.parse(TEST_NOW) + days * 86_400_000 + hour * 3_600_000).toISOString();
const email = () => `${unique('c')}@example.test`;

async function mentor() {
  const { user, crmId } = await p.mentor();
  return { user, crmId, http: api(server.url, user.token), base: `/v1/crms/${crmId}` };
}

describe('sessions: how bookings make them', () => {
  test('bookings with one sessionId are one session, with the fields of the latest-written booking', async () => {
    const m = await mentor();
    const sessionId = unique('cls');
    const a = await p.booking(m.crmId, m.user.id, {
      email: email(),
      sessionId,
      status: 'booked',
      classTitle: 'Morning Flow',
      startsAt: inDays(1),
      location: 'Studio A',
    });
    await p.booking(m.crmId, m.user.id, {
      email: email(),
      sessionId,
      status: 'booked',
      classTitle: 'Morning Flow (moved)',
      startsAt: inDays(1, 1),
      location: 'Studio B',
    });
    let list = await m.http.get(`${m.base}/sessions`);
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.items.length, 1);
    assert.deepEqual(list.body.items[0], {
      id: sessionId,
      classTitle: 'Morning Flow (moved)',
      startsAt: inDays(1, 1),
      location: 'Studio B',
      teacher: { id: m.user.id, name: m.user.name },
      booked: 2,
      firstTimers: 2,
      withAlerts: 0,
    });
    // Writing the first booking again makes it the latest-written one.
    await p.booking(m.crmId, m.user.id, {
      id: a.id,
      email: (await m.http.get(`${m.base}/clients/${a.clientId}`)).body.email,
      sessionId,
      status: 'booked',
      classTitle: 'Morning Flow',
      startsAt: inDays(1),
      location: 'Studio A',
    });
    list = await m.http.get(`${m.base}/sessions`);
    assert.equal(list.body.items[0].classTitle, 'Morning Flow');
    assert.equal(list.body.items[0].location, 'Studio A');
  });

  test('without sessionId: the same teacher, start, title and location are one session under an opaque id', async () => {
    const m = await mentor();
    const same = { status: 'booked' as const, startsAt: inDays(2), classTitle: 'Yin' };
    await p.booking(m.crmId, m.user.id, { ...same, email: email() });
    await p.booking(m.crmId, m.user.id, { ...same, email: email() });
    await p.booking(m.crmId, m.user.id, { ...same, email: email(), location: 'Online' });
    const list = await m.http.get(`${m.base}/sessions`);
    assert.equal(list.body.items.length, 2);
    const [studio, online] = [...list.body.items].sort((x, y) => y.booked - x.booked);
    assert.equal(studio.booked, 2);
    assert.equal(online.booked, 1);
    assert.equal(online.location, 'Online');
    assert.match(studio.id, /^auto_[0-9a-f]{32}$/);
    assert.notEqual(studio.id, online.id);
    const detail = await m.http.get(`${m.base}/sessions/${studio.id}`);
    assert.equal(detail.status, 200, detail.text);
    assert.equal(detail.body.roster.length, 2);
  });

  test('a booking without sessionId never joins a session that has one', async () => {
    const m = await mentor();
    const fields = { status: 'booked' as const, startsAt: inDays(3), classTitle: 'Pilates' };
    await p.booking(m.crmId, m.user.id, { ...fields, email: email(), sessionId: 'pil-1' });
    await p.booking(m.crmId, m.user.id, { ...fields, email: email() });
    const list = await m.http.get(`${m.base}/sessions`);
    assert.deepEqual(list.body.items.map((s: { booked: number }) => s.booked).sort(), [1, 1]);
    assert.ok(list.body.items.some((s: { id: string }) => s.id === 'pil-1'));
  });

  test('a sessionId is 1 to 100 characters without control characters', async () => {
    const m = await mentor();
    for (const sessionId of ['', 'x'.repeat(101), 'a\u0000b']) {
      await assert.rejects(
        p.booking(m.crmId, m.user.id, { email: email(), sessionId }),
        /-> 400: .*sessionId/,
      );
    }
    await p.booking(m.crmId, m.user.id, { email: email(), sessionId: 'x'.repeat(100) });
  });
});

describe('sessions: the list', () => {
  test('the next 7 days by default, by start; cancelled-only and past sessions are not there', async () => {
    const m = await mentor();
    const book = (startsAt: string, status: 'booked' | 'cancelled' | 'completed' = 'booked') =>
      p.booking(m.crmId, m.user.id, { email: email(), startsAt, status, classTitle: startsAt });
    await book(inDays(5));
    await book(inDays(1));
    await book(inDays(2), 'cancelled');
    await book(inDays(8));
    await book(daysAgo(1), 'completed');
    const list = await m.http.get(`${m.base}/sessions`);
    assert.deepEqual(
      list.body.items.map((s: { startsAt: string }) => s.startsAt),
      [inDays(1), inDays(5)],
    );
    assert.equal(list.body.nextCursor, null);
    const earlier = await m.http.get(
      `${m.base}/sessions?from=${daysAgo(3)}&to=${encodeURIComponent(inDays(9))}`,
    );
    assert.deepEqual(
      earlier.body.items.map((s: { startsAt: string }) => s.startsAt),
      [daysAgo(1), inDays(1), inDays(5), inDays(8)],
    );
  });

  test('a range over 31 days, an empty range and a bad time are 400 naming the field', async () => {
    const m = await mentor();
    const over = await m.http.get(`${m.base}/sessions?from=${TEST_NOW}&to=${inDays(31, 1)}`);
    assert.equal(over.status, 400);
    assert.equal(over.body.code, 'invalid_request');
    assert.equal(over.body.errors[0].path, 'to');
    assert.match(over.body.detail, /31 days/);
    const empty = await m.http.get(`${m.base}/sessions?from=${TEST_NOW}&to=${TEST_NOW}`);
    assert.equal(empty.status, 400);
    assert.equal(empty.body.errors[0].path, 'to');
    const bad = await m.http.get(`${m.base}/sessions?from=tomorrow`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0].path, 'from');
    const limit = await m.http.get(`${m.base}/sessions?limit=0`);
    assert.equal(limit.status, 400);
    const exactly = await m.http.get(`${m.base}/sessions?from=${TEST_NOW}&to=${inDays(31)}`);
    assert.equal(exactly.status, 200, exactly.text);
  });

  test('pages follow one another with a cursor, for the same range', async () => {
    const m = await mentor();
    for (const day of [1, 2, 3]) {
      await p.booking(m.crmId, m.user.id, {
        email: email(),
        status: 'booked',
        startsAt: inDays(day),
      });
    }
    const first = await m.http.get(`${m.base}/sessions?limit=2`);
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.nextCursor);
    const second = await m.http.get(
      `${m.base}/sessions?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    assert.equal(second.status, 200, second.text);
    assert.deepEqual(
      second.body.items.map((s: { startsAt: string }) => s.startsAt),
      [inDays(3)],
    );
    assert.equal(second.body.nextCursor, null);
    const other = await m.http.get(
      `${m.base}/sessions?limit=2&teacher=${m.user.id}&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    assert.equal(other.status, 400);
  });

  test('a studio lists every teacher’s sessions, or one teacher’s with teacher=', async () => {
    const s = await p.studio(2);
    const [t1, t2] = s.teachers as [(typeof s.teachers)[0], (typeof s.teachers)[0]];
    await p.booking(s.crmId, t1.id, { email: email(), status: 'booked', startsAt: inDays(1) });
    await p.booking(s.crmId, t2.id, { email: email(), status: 'booked', startsAt: inDays(2) });
    const http = api(server.url, t1.token);
    const all = await http.get(`/v1/crms/${s.crmId}/sessions`);
    assert.deepEqual(
      all.body.items.map((x: { teacher: { id: string } }) => x.teacher.id),
      [t1.id, t2.id],
    );
    const mine = await http.get(`/v1/crms/${s.crmId}/sessions?teacher=${t1.id}`);
    assert.deepEqual(
      mine.body.items.map((x: { teacher: { id: string } }) => x.teacher.id),
      [t1.id],
    );
  });
});

describe('sessions: the roster', () => {
  test('first time, class number, milestones and back-after-N-days', async () => {
    const m = await mentor();
    const sessionId = unique('cls');
    const upcoming = inDays(1);
    // A newcomer.
    const newcomer = email();
    await p.booking(m.crmId, m.user.id, {
      email: newcomer,
      name: 'Nora Newcomer',
      sessionId,
      status: 'booked',
      startsAt: upcoming,
    });
    // A regular whose booking is their 50th (49 before it, one of them cancelled and not counted).
    const regular = email();
    await p.client(m.crmId, m.user.id, {
      email: regular,
      name: 'Rita Regular',
      bookings: 49,
      lastDaysAgo: 3,
      spacingDays: 2,
    });
    await p.booking(m.crmId, m.user.id, {
      email: regular,
      name: 'Rita Regular',
      status: 'cancelled',
      startsAt: daysAgo(1),
    });
    await p.booking(m.crmId, m.user.id, {
      email: regular,
      name: 'Rita Regular',
      sessionId,
      status: 'booked',
      startsAt: upcoming,
    });
    // Back after 9 weeks: last attended 62 days before the class (a no-show since).
    const returning = email();
    await p.booking(m.crmId, m.user.id, {
      email: returning,
      name: 'Ben Back',
      status: 'completed',
      startsAt: daysAgo(61),
    });
    await p.booking(m.crmId, m.user.id, {
      email: returning,
      name: 'Ben Back',
      status: 'no_show',
      startsAt: daysAgo(20),
    });
    await p.booking(m.crmId, m.user.id, {
      email: returning,
      name: 'Ben Back',
      sessionId,
      status: 'booked',
      startsAt: upcoming,
    });
    // Attended 59 days before: no badge.
    const recent = email();
    await p.booking(m.crmId, m.user.id, {
      email: recent,
      name: 'Cleo Close',
      status: 'completed',
      startsAt: daysAgo(58),
    });
    await p.booking(m.crmId, m.user.id, {
      email: recent,
      name: 'Cleo Close',
      sessionId,
      status: 'booked',
      startsAt: upcoming,
    });

    const r = await m.http.get(`${m.base}/sessions/${sessionId}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.booked, 4);
    assert.equal(r.body.firstTimers, 1);
    const by = (name: string) =>
      r.body.roster.find((e: { client: { name: string } }) => e.client.name === name);
    // Sorted by name.
    assert.deepEqual(
      r.body.roster.map((e: { client: { name: string } }) => e.client.name),
      ['Ben Back', 'Cleo Close', 'Nora Newcomer', 'Rita Regular'],
    );
    assert.deepEqual(
      { ...by('Nora Newcomer'), client: undefined },
      {
        client: undefined,
        bookingStatus: 'booked',
        firstTime: true,
        classNumber: 1,
        milestone: null,
        returningAfterDays: null,
        alerts: [],
        note: null,
      },
    );
    assert.equal(by('Nora Newcomer').client.status, 'active');
    assert.equal(by('Rita Regular').classNumber, 50);
    assert.equal(by('Rita Regular').milestone, 50);
    assert.equal(by('Rita Regular').firstTime, false);
    assert.equal(by('Rita Regular').client.status, 'regular');
    assert.equal(by('Ben Back').returningAfterDays, 62);
    assert.equal(by('Ben Back').classNumber, 3);
    assert.equal(by('Cleo Close').returningAfterDays, null);
  });

  test('the 10th and 25th classes are milestones, the 11th is not', async () => {
    const m = await mentor();
    for (const [n, milestone] of [
      [10, 10],
      [11, null],
      [25, 25],
    ] as const) {
      const who = email();
      await p.client(m.crmId, m.user.id, { email: who, bookings: n - 1, lastDaysAgo: 2 });
      const sessionId = unique('cls');
      await p.booking(m.crmId, m.user.id, {
        email: who,
        sessionId,
        status: 'booked',
        startsAt: inDays(1),
      });
      const r = await m.http.get(`${m.base}/sessions/${sessionId}`);
      assert.equal(r.body.roster[0].classNumber, n);
      assert.equal(r.body.roster[0].milestone, milestone);
    }
  });

  test('the note excerpt is its first 280 code points, nothing added', async () => {
    const m = await mentor();
    const sessionId = unique('cls');
    const { clientId } = await p.booking(m.crmId, m.user.id, {
      email: email(),
      sessionId,
      status: 'booked',
      startsAt: inDays(1),
    });
    // 350 code points, the astral ones two UTF-16 units each.
    const text = '🧘 knee '.repeat(50);
    const codePoints = Array.from(text);
    assert.ok(codePoints.length > 280);
    const put = await m.http.put(
      `${m.base}/clients/${clientId}/note`,
      { text },
      { 'if-match': '"0"' },
    );
    assert.equal(put.status, 200, put.text);
    const r = await m.http.get(`${m.base}/sessions/${sessionId}`);
    assert.equal(r.body.roster[0].note.excerpt, codePoints.slice(0, 280).join(''));
    assert.equal(r.body.roster[0].note.updatedAt, TEST_NOW);
  });

  test('an unknown session, or another CRM’s, is 404', async () => {
    const m = await mentor();
    const other = await mentor();
    const sessionId = unique('cls');
    await p.booking(m.crmId, m.user.id, {
      email: email(),
      sessionId,
      status: 'booked',
      startsAt: inDays(1),
    });
    assert.equal((await m.http.get(`${m.base}/sessions/nope`)).status, 404);
    assert.equal((await other.http.get(`${other.base}/sessions/${sessionId}`)).status, 404);
    assert.equal((await other.http.get(`${m.base}/sessions/${sessionId}`)).status, 404);
    assert.equal((await other.http.get(`${other.base}/sessions`)).body.items.length, 0);
  });
});

describe('client alerts', () => {
  async function oneClient() {
    const m = await mentor();
    const { clientId } = await p.booking(m.crmId, m.user.id, { email: email() });
    return { ...m, clientId, alerts: `${m.base}/clients/${clientId}/alerts` };
  }

  test('add, list, remove; the list and the detail carry them', async () => {
    const c = await oneClient();
    const added = await c.http.post(c.alerts, { text: '  Low-back issue: no deep folds  ' });
    assert.equal(added.status, 201, added.text);
    assert.deepEqual(added.body, {
      id: added.body.id,
      text: 'Low-back issue: no deep folds',
      until: null,
      createdBy: { id: c.user.id, name: c.user.name },
      createdAt: TEST_NOW,
    });
    const second = await c.http.post(c.alerts, {
      text: 'Pregnant, 2nd trimester',
      until: '2026-09-30',
    });
    assert.equal(second.body.until, '2026-09-30');
    const listed = await c.http.get(c.alerts);
    assert.deepEqual(listed.body.items, [added.body, second.body]);
    const row = (await c.http.get(`${c.base}/clients`)).body.items[0];
    assert.deepEqual(row.alerts, ['Low-back issue: no deep folds', 'Pregnant, 2nd trimester']);
    const detail = await c.http.get(`${c.base}/clients/${c.clientId}`);
    assert.deepEqual(detail.body.alerts, [added.body, second.body]);

    const removed = await c.http.call('DELETE', `${c.alerts}/${added.body.id}`);
    assert.equal(removed.status, 204);
    assert.deepEqual((await c.http.get(c.alerts)).body.items, [second.body]);
    assert.equal((await c.http.call('DELETE', `${c.alerts}/${added.body.id}`)).status, 404);
  });

  test('1 to 140 characters after trimming, no control characters, a real date today or later', async () => {
    const c = await oneClient();
    const bad = [
      [{ text: '   ' }, 'text'],
      [{ text: 'x'.repeat(141) }, 'text'],
      [{ text: 'line\nbreak' }, 'text'],
      [{ text: 'ok', until: '2026-02-30' }, 'until'],
      [{ text: 'ok', until: '15/06/2026' }, 'until'],
      [{ text: 'ok', until: '2026-06-14' }, 'until'],
    ] as const;
    for (const [body, field] of bad) {
      const r = await c.http.post(c.alerts, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.errors[0].path, field, JSON.stringify(body));
    }
    assert.equal((await c.http.post(c.alerts, { text: 'x'.repeat(140) })).status, 201);
    assert.equal((await c.http.post(c.alerts, { text: 'today', until: '2026-06-15' })).status, 201);
    assert.equal((await c.http.get(c.alerts)).body.items.length, 2);
  });

  test('until is a day in the CRM’s time zone: in Auckland, 15 June is already over at noon UTC', async () => {
    const user = await p.user('Aroha Auckland');
    const crmId = await p.crm('mentor', user.id, 'Aroha Yoga', 'NZD', 'Pacific/Auckland');
    const { clientId } = await p.booking(crmId, user.id, { email: email() });
    const http = api(server.url, user.token);
    const path = `/v1/crms/${crmId}/clients/${clientId}/alerts`;
    // TEST_NOW is 2026-06-15 12:00 UTC: midnight of 16 June in Auckland.
    const past = await http.post(path, { text: 'x', until: '2026-06-15' });
    assert.equal(past.status, 400);
    assert.match(past.body.errors[0].message, /2026-06-16/);
    assert.equal((await http.post(path, { text: 'x', until: '2026-06-16' })).status, 201);
  });

  test('at most 5 live alerts: the 6th is 400 and says so', async () => {
    const c = await oneClient();
    for (let i = 1; i <= 5; i++) {
      assert.equal((await c.http.post(c.alerts, { text: `Alert ${i}` })).status, 201);
    }
    const sixth = await c.http.post(c.alerts, { text: 'Alert 6' });
    assert.equal(sixth.status, 400);
    assert.equal(sixth.body.code, 'invalid_request');
    assert.match(sixth.body.detail, /5 alerts/);
    assert.equal((await c.http.get(c.alerts)).body.items.length, 5);
  });

  test('an alert past its last day is neither returned nor counted', async () => {
    const c = await oneClient();
    const sessionId = unique('cls');
    const { clientId } = await p.booking(c.crmId, c.user.id, {
      email: (await c.http.get(`${c.base}/clients/${c.clientId}`)).body.email,
      sessionId,
      status: 'booked',
      startsAt: inDays(3),
    });
    assert.equal(clientId, c.clientId);
    await c.http.post(c.alerts, { text: 'Ends today', until: '2026-06-15' });
    for (let i = 1; i <= 4; i++) await c.http.post(c.alerts, { text: `Open-ended ${i}` });
    // The same database two days later: the same server code with a later clock.
    const later = createApp({
      db: server.db,
      clock: () => new Date(inDays(2)),
      platformToken: 'unused',
    });
    const token = await p.token(c.user.id, undefined, 4 * 86_400);
    const call = (method: string, path: string, body?: unknown) =>
      later.request(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const texts = async () => {
      const res = await call('GET', c.alerts);
      assert.equal(res.status, 200, await res.clone().text());
      return ((await res.json()) as { items: { text: string }[] }).items.map((a) => a.text);
    };
    assert.ok(!(await texts()).includes('Ends today'));
    assert.equal((await texts()).length, 4);
    const list = (await (await call('GET', `${c.base}/clients`)).json()) as {
      items: { alerts: string[] }[];
    };
    assert.equal(list.items[0]!.alerts.length, 4);
    const roster = (await (await call('GET', `${c.base}/sessions/${sessionId}`)).json()) as {
      roster: { alerts: unknown[] }[];
    };
    assert.equal(roster.roster[0]!.alerts.length, 4);
    // Not counted: a fifth fits again.
    assert.equal((await call('POST', c.alerts, { text: 'Fifth again' })).status, 201);
    assert.equal((await call('POST', c.alerts, { text: 'Sixth' })).status, 400);
    // On the day itself it was still live.
    assert.ok(
      (await c.http.get(c.alerts)).body.items.some(
        (a: { text: string }) => a.text === 'Ends today',
      ),
    );
  });

  test('the roster shows alerts and the session counts clients with alerts', async () => {
    const m = await mentor();
    const sessionId = unique('cls');
    const { clientId } = await p.booking(m.crmId, m.user.id, {
      email: email(),
      sessionId,
      status: 'booked',
      startsAt: inDays(1),
    });
    await p.booking(m.crmId, m.user.id, {
      email: email(),
      sessionId,
      status: 'booked',
      startsAt: inDays(1),
    });
    await m.http.post(`${m.base}/clients/${clientId}/alerts`, { text: 'Knee: no kneeling' });
    await m.http.post(`${m.base}/clients/${clientId}/alerts`, { text: 'Prefers the corner' });
    const list = await m.http.get(`${m.base}/sessions`);
    assert.equal(list.body.items[0].withAlerts, 1);
    const r = await m.http.get(`${m.base}/sessions/${sessionId}`);
    const entry = r.body.roster.find((e: { client: { id: string } }) => e.client.id === clientId);
    assert.deepEqual(
      entry.alerts.map((a: { text: string }) => a.text),
      ['Knee: no kneeling', 'Prefers the corner'],
    );
  });

  test('privacy: another CRM cannot see or change them; a studio shares them; crm:write to change', async () => {
    const c = await oneClient();
    await c.http.post(c.alerts, { text: 'Private to Maya' });
    const stranger = await mentor();
    assert.equal((await stranger.http.get(c.alerts)).status, 404);
    assert.equal((await stranger.http.post(c.alerts, { text: 'x' })).status, 404);
    // The client's id under the stranger's own CRM is no client of theirs.
    const theirs = `${stranger.base}/clients/${c.clientId}/alerts`;
    assert.equal((await stranger.http.get(theirs)).status, 404);

    const s = await p.studio(2);
    const [t1, t2] = s.teachers as [(typeof s.teachers)[0], (typeof s.teachers)[0]];
    const { clientId } = await p.booking(s.crmId, t1.id, { email: email() });
    const path = `/v1/crms/${s.crmId}/clients/${clientId}/alerts`;
    const byT1 = await api(server.url, t1.token).post(path, { text: 'Shoulder surgery in May' });
    assert.equal(byT1.status, 201);
    const seen = await api(server.url, t2.token).get(path);
    assert.deepEqual(
      seen.body.items.map((a: { text: string; createdBy: { id: string } }) => [
        a.text,
        a.createdBy.id,
      ]),
      [['Shoulder surgery in May', t1.id]],
    );
    assert.equal(
      (await api(server.url, t2.token).call('DELETE', `${path}/${byT1.body.id}`)).status,
      204,
    );

    const reader = await p.token(c.user.id, ['crm:read']);
    const readOnly = api(server.url, reader);
    assert.equal((await readOnly.get(c.alerts)).status, 200);
    const refused = await readOnly.post(c.alerts, { text: 'x' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'insufficient_scope');
  });

  test('erasure removes them, and the roster shows a deleted client without alerts or note', async () => {
    const m = await mentor();
    const who = email();
    const sessionId = unique('cls');
    const { clientId } = await p.booking(m.crmId, m.user.id, {
      email: who,
      sessionId,
      status: 'booked',
      startsAt: inDays(1),
    });
    const alerts = `${m.base}/clients/${clientId}/alerts`;
    await m.http.post(alerts, { text: 'Asthma: inhaler in bag' });
    await m.http.put(
      `${m.base}/clients/${clientId}/note`,
      { text: 'Chatty' },
      { 'if-match': '"0"' },
    );
    await p.erase(who);
    assert.deepEqual((await m.http.get(alerts)).body.items, []);
    assert.deepEqual((await m.http.get(`${m.base}/clients/${clientId}`)).body.alerts, []);
    const r = await m.http.get(`${m.base}/sessions/${sessionId}`);
    assert.equal(r.body.roster[0].client.name, 'Deleted client');
    assert.equal(r.body.roster[0].client.erased, true);
    assert.deepEqual(r.body.roster[0].alerts, []);
    assert.equal(r.body.roster[0].note, null);
    const refused = await m.http.post(alerts, { text: 'again' });
    assert.equal(refused.status, 400);
  });
});

describe('sessions: the stored row per session', () => {
  /** Each session of the CRM as the bookings make it, computed afresh. */
  const derived = (crmId: string) => sql<Record<string, unknown>>`
    select k.session_key, l.class_title, l.starts_at, l.location, l.teacher_user_id,
      n.booked, n.first_timers, n.first_start, n.last_start
    from (select distinct session_key from bookings where crm_id = ${crmId}) k
      cross join lateral (select b.class_title, b.starts_at, b.location, b.teacher_user_id
        from bookings b where b.crm_id = ${crmId} and b.session_key = k.session_key
        order by b.seq desc limit 1) l
      cross join lateral (select count(*)::int as booked,
          (count(*) filter (where c.first_booking_at = b.starts_at))::int as first_timers,
          min(b.starts_at) as first_start, max(b.starts_at) as last_start
        from bookings b join clients c on c.id = b.client_id
        where b.crm_id = ${crmId} and b.session_key = k.session_key and b.status <> 'cancelled') n
    order by k.session_key
  `;
  const stored = (crmId: string) => sql<Record<string, unknown>>`
    select session_key, class_title, starts_at, location, teacher_user_id, booked, first_timers,
      first_start, last_start
    from sessions where crm_id = ${crmId} order by session_key
  `;

  /** The stored rows equal the derived ones, and the list agrees with each session's detail. */
  async function assertExact(m: Awaited<ReturnType<typeof mentor>>, from: string, to: string) {
    const want = (await derived(m.crmId).execute(server.db)).rows;
    const have = (await stored(m.crmId).execute(server.db)).rows;
    assert.deepEqual(have, want);
    const list = await m.http.get(
      `${m.base}/sessions?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    assert.equal(list.status, 200);
    for (const item of list.body.items) {
      const { roster: _roster, ...detail } = (await m.http.get(`${m.base}/sessions/${item.id}`))
        .body;
      assert.deepEqual(item, detail);
    }
    return list.body.items as { id: string; booked: number; firstTimers: number }[];
  }

  test('it follows new, moved, cancelled and earlier bookings, and erasure', async () => {
    const m = await mentor();
    const [x, y] = [email(), email()];
    const [s1, s2] = [unique('cls'), unique('cls')];
    const from = TEST_NOW;
    const to = inDays(7);
    const a = await p.booking(m.crmId, m.user.id, {
      email: x,
      sessionId: s1,
      status: 'booked',
      startsAt: inDays(1),
    });
    const b = await p.booking(m.crmId, m.user.id, {
      email: y,
      sessionId: s1,
      status: 'booked',
      startsAt: inDays(1),
    });
    let items = await assertExact(m, from, to);
    assert.deepEqual(
      items.map((i) => [i.id, i.booked, i.firstTimers]),
      [[s1, 2, 2]],
    );

    // x's booking moves to another session, with a new title and time
    await p.booking(m.crmId, m.user.id, {
      id: a.id,
      email: x,
      sessionId: s2,
      status: 'booked',
      startsAt: inDays(2),
      classTitle: 'Yin',
    });
    items = await assertExact(m, from, to);
    assert.deepEqual(
      items.map((i) => [i.id, i.booked]),
      [
        [s1, 1],
        [s2, 1],
      ],
    );

    // y's booking is cancelled: its session has no one left and leaves the list
    await p.booking(m.crmId, m.user.id, {
      id: b.id,
      email: y,
      sessionId: s1,
      status: 'cancelled',
      startsAt: inDays(1),
    });
    items = await assertExact(m, from, to);
    assert.deepEqual(
      items.map((i) => i.id),
      [s2],
    );

    // an earlier booking of x: x is no longer a first-timer in s2
    await p.booking(m.crmId, m.user.id, { email: x, startsAt: daysAgo(20) });
    items = await assertExact(m, from, to);
    assert.deepEqual(
      items.map((i) => [i.id, i.firstTimers]),
      [[s2, 0]],
    );

    // y erased: the rows stay exact
    await p.erase(y);
    await assertExact(m, from, to);
  });

  test('a session whose bookings start at different times is in every range one of them starts in', async () => {
    const m = await mentor();
    const sessionId = unique('cls');
    await p.booking(m.crmId, m.user.id, {
      email: email(),
      sessionId,
      status: 'completed',
      startsAt: daysAgo(2),
    });
    await p.booking(m.crmId, m.user.id, {
      email: email(),
      sessionId,
      status: 'booked',
      startsAt: inDays(3),
    });
    // a cancelled booking inside a range does not bring its session in
    await p.booking(m.crmId, m.user.id, {
      email: email(),
      sessionId,
      status: 'cancelled',
      startsAt: inDays(10),
    });
    const ids = async (from: string, to: string) =>
      (await assertExact(m, from, to)).map((i) => i.id);
    assert.deepEqual(await ids(daysAgo(3), TEST_NOW), [sessionId]);
    assert.deepEqual(await ids(TEST_NOW, inDays(7)), [sessionId]);
    assert.deepEqual(await ids(daysAgo(1), inDays(1)), []);
    assert.deepEqual(await ids(inDays(8), inDays(12)), []);
  });
});
