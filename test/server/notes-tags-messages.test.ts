/** Notes (versions, 412, 428), tags, messages with the outbox, merge requests. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedServer } from './shared.js';
import { TEST_NOW, unique } from '../helpers/platform.js';
import { LIMITS } from '../../src/api/schemas.js';
import { api } from './http.js';

const server = await sharedServer();
const p = server.platform;

async function oneClient() {
  const { user, crmId } = await p.mentor();
  const email = `${unique()}@example.test`;
  const { clientId } = await p.booking(crmId, user.id, { email });
  const http = api(server.url, user.token);
  return { user, crmId, clientId, email, http, base: `/v1/crms/${crmId}/clients/${clientId}` };
}

describe('notes', () => {
  test('no note yet: empty text, version 0, nulls, ETag "0"', async () => {
    const c = await oneClient();
    const r = await c.http.get(`${c.base}/note`);
    assert.deepEqual(r.body, { text: '', version: 0, updatedAt: null, updatedBy: null });
    assert.equal(r.headers.get('etag'), '"0"');
  });

  test('a write with the current version saves and bumps the version', async () => {
    const c = await oneClient();
    const first = await c.http.put(
      `${c.base}/note`,
      { text: 'Knee injury' },
      { 'if-match': '"0"' },
    );
    assert.equal(first.status, 200, first.text);
    assert.deepEqual(first.body, {
      text: 'Knee injury',
      version: 1,
      updatedAt: TEST_NOW,
      updatedBy: { id: c.user.id, name: c.user.name },
    });
    assert.equal(first.headers.get('etag'), '"1"');
    const second = await c.http.put(
      `${c.base}/note`,
      { text: 'Knee better' },
      { 'if-match': '"1"' },
    );
    assert.equal(second.body.version, 2);
    assert.equal((await c.http.get(`${c.base}/note`)).body.text, 'Knee better');
  });

  test('a stale version is 412 version_conflict with the current note, nothing changed', async () => {
    const c = await oneClient();
    await c.http.put(`${c.base}/note`, { text: 'A' }, { 'if-match': '"0"' });
    await c.http.put(`${c.base}/note`, { text: 'B' }, { 'if-match': '"1"' });
    const stale = await c.http.put(`${c.base}/note`, { text: 'C' }, { 'if-match': '"1"' });
    assert.equal(stale.status, 412);
    assert.equal(stale.body.code, 'version_conflict');
    assert.equal(stale.body.current.text, 'B');
    assert.equal(stale.body.current.version, 2);
    assert.equal((await c.http.get(`${c.base}/note`)).body.text, 'B');
  });

  test('without If-Match the write is 428 precondition_required', async () => {
    const c = await oneClient();
    const r = await c.http.put(`${c.base}/note`, { text: 'x' });
    assert.equal(r.status, 428);
    assert.equal(r.body.code, 'precondition_required');
    assert.equal((await c.http.get(`${c.base}/note`)).body.version, 0);
  });

  test('concurrent writes from the same version: exactly one wins, the others get 412', async () => {
    const c = await oneClient();
    const results = await Promise.all(
      ['one', 'two', 'three', 'four'].map((text) =>
        c.http.put(`${c.base}/note`, { text }, { 'if-match': '"0"' }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200)!.body.text;
    assert.equal((await c.http.get(`${c.base}/note`)).body.text, winner);
  });

  test('a note over 20,000 characters is 400 and nothing is saved; exactly 20,000 is fine', async () => {
    const c = await oneClient();
    const tooLong = await c.http.put(
      `${c.base}/note`,
      { text: 'x'.repeat(LIMITS.noteMaxChars + 1) },
      { 'if-match': '"0"' },
    );
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.errors[0].path, 'text');
    assert.equal((await c.http.get(`${c.base}/note`)).body.version, 0);
    const max = await c.http.put(
      `${c.base}/note`,
      { text: 'y'.repeat(LIMITS.noteMaxChars) },
      { 'if-match': '"0"' },
    );
    assert.equal(max.status, 200);
  });

  test('a malformed If-Match is 400', async () => {
    const c = await oneClient();
    const r = await c.http.put(`${c.base}/note`, { text: 'x' }, { 'if-match': 'yesterday' });
    assert.equal(r.status, 400);
  });

  test('in a studio every member reads and writes the note, and it records who edited last', async () => {
    const s = await p.studio(2);
    const [t1, t2] = s.teachers;
    const { clientId } = await p.booking(s.crmId, t1!.id, { email: `${unique()}@example.test` });
    const path = `/v1/crms/${s.crmId}/clients/${clientId}/note`;
    await api(server.url, t1!.token).put(path, { text: 'by one' }, { 'if-match': '"0"' });
    const r = await api(server.url, t2!.token).put(path, { text: 'by two' }, { 'if-match': '"1"' });
    assert.deepEqual(r.body.updatedBy, { id: t2!.id, name: t2!.name });
    const read = await api(server.url, s.owner.token).get(path);
    assert.equal(read.body.text, 'by two');
    assert.deepEqual(read.body.updatedBy, { id: t2!.id, name: t2!.name });
  });
});

describe('tags', () => {
  test('PUT replaces the set: trimmed, deduped case-insensitively keeping the first spelling', async () => {
    const c = await oneClient();
    const r = await c.http.put(`${c.base}/tags`, {
      tags: ['  VIP ', 'vip', 'Knee', 'KNEE', 'morning'],
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { tags: ['VIP', 'Knee', 'morning'] });
    const replaced = await c.http.put(`${c.base}/tags`, { tags: ['evening'] });
    assert.deepEqual(replaced.body.tags, ['evening']);
    assert.deepEqual((await c.http.get(c.base)).body.tags, ['evening']);
    assert.deepEqual((await c.http.put(`${c.base}/tags`, { tags: [] })).body.tags, []);
  });

  test('tag limits: 30 tags, 1 to 40 characters, no control characters; 400 changes nothing', async () => {
    const c = await oneClient();
    await c.http.put(`${c.base}/tags`, { tags: ['keep'] });
    const cases: [unknown[], string][] = [
      [Array.from({ length: 31 }, (_, i) => `t${i}`), 'tags'],
      [['x'.repeat(41)], 'tags.0'],
      [['ok', '   '], 'tags.1'],
      [['bad\u0007bell'], 'tags.0'],
      [['new\nline'], 'tags.0'],
      [[42], 'tags.0'],
    ];
    for (const [tags, path] of cases) {
      const r = await c.http.put(`${c.base}/tags`, { tags });
      assert.equal(r.status, 400, JSON.stringify(tags));
      assert.equal(r.body.errors[0].path, path);
    }
    assert.equal(
      (await c.http.put(`${c.base}/tags`, { tags: Array.from({ length: 30 }, (_, i) => `t${i}`) }))
        .status,
      200,
    );
    assert.equal((await c.http.put(`${c.base}/tags`, { tags: ['x'.repeat(40)] })).status, 200);
  });

  test('GET /tags counts clients per tag case-insensitively', async () => {
    const { user, crmId } = await p.mentor();
    const http = api(server.url, user.token);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await p.booking(crmId, user.id, { email: `${unique()}@example.test` })).clientId);
    await http.put(`/v1/crms/${crmId}/clients/${ids[0]}/tags`, { tags: ['Yoga', 'VIP'] });
    await http.put(`/v1/crms/${crmId}/clients/${ids[1]}/tags`, { tags: ['yoga'] });
    await http.put(`/v1/crms/${crmId}/clients/${ids[2]}/tags`, { tags: ['YOGA'] });
    const r = await http.get(`/v1/crms/${crmId}/tags`);
    assert.deepEqual(r.body, [
      { tag: 'Yoga', count: 3 },
      { tag: 'VIP', count: 1 },
    ]);
  });
});

describe('messages', () => {
  test('a message is 202, recorded on the card and emailed with Reply-To the sender', async () => {
    const c = await oneClient();
    const r = await c.http.post(`${c.base}/messages`, {
      subject: 'We miss you',
      body: 'New classes on Monday!',
    });
    assert.equal(r.status, 202, r.text);
    assert.equal(r.body.sentAt, TEST_NOW);
    assert.ok(r.body.id);
    const mail = (await p.outbox()).filter((m) => m.to === c.email);
    assert.deepEqual(mail, [
      {
        kind: 'message',
        to: c.email,
        replyTo: c.user.email,
        subject: 'We miss you',
        body: 'New classes on Monday!',
        sentAt: TEST_NOW,
      },
    ]);
    const card = (await c.http.get(c.base)).body;
    assert.deepEqual(card.messages, { lastSentAt: TEST_NOW, sentLast90Days: 1 });
  });

  test('the card counts messages of the last 90 days (the fourth triggers the warning)', async () => {
    const c = await oneClient();
    for (let i = 0; i < LIMITS.messagesPerQuarter + 1; i++) {
      assert.equal(
        (await c.http.post(`${c.base}/messages`, { subject: `Hello ${i}`, body: 'Hi' })).status,
        202,
      );
    }
    assert.equal((await c.http.get(c.base)).body.messages.sentLast90Days, 4);
  });

  test('subject and body limits are enforced with 400, nothing is sent', async () => {
    const c = await oneClient();
    const cases: [unknown, string][] = [
      [{ subject: '', body: 'x' }, 'subject'],
      [{ subject: 'x'.repeat(201), body: 'x' }, 'subject'],
      [{ subject: 'ok', body: '' }, 'body'],
      [{ subject: 'ok', body: 'x'.repeat(10_001) }, 'body'],
      [{ subject: 'ok' }, 'body'],
    ];
    for (const [body, path] of cases) {
      const r = await c.http.post(`${c.base}/messages`, body);
      assert.equal(r.status, 400);
      assert.equal(r.body.errors[0].path, path);
    }
    assert.equal((await p.outbox()).filter((m) => m.to === c.email).length, 0);
    assert.equal((await c.http.get(c.base)).body.messages.sentLast90Days, 0);
  });
});

describe('merge requests', () => {
  test('a merge request is recorded (202) and changes no data', async () => {
    const { user, crmId } = await p.mentor();
    const http = api(server.url, user.token);
    const a = (await p.booking(crmId, user.id, { email: `${unique()}@example.test`, name: 'Jo' }))
      .clientId;
    const b = (await p.booking(crmId, user.id, { email: `${unique()}@work.example`, name: 'Jo' }))
      .clientId;
    const r = await http.post(`/v1/crms/${crmId}/merge-requests`, {
      clientIds: [a, b],
      reason: 'Same person',
    });
    assert.equal(r.status, 202, r.text);
    assert.ok(r.body.id);
    assert.equal((await http.get(`/v1/crms/${crmId}/clients`)).body.total, 2);
  });

  test('the same client twice, or one id, is 400', async () => {
    const c = await oneClient();
    assert.equal(
      (
        await c.http.post(`/v1/crms/${c.crmId}/merge-requests`, {
          clientIds: [c.clientId, c.clientId],
        })
      ).status,
      400,
    );
    assert.equal(
      (await c.http.post(`/v1/crms/${c.crmId}/merge-requests`, { clientIds: [c.clientId] })).status,
      400,
    );
  });
});
