/** CSV export (RFC 4180, formula guard, money, dates, filters, streaming) and GDPR erasure. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sharedServer } from './shared.js';
import { TEST_NOW, daysAgo, unique } from '../helpers/platform.js';
import { generateCrm } from '../../demo/server/seed/generate.js';
import { CSV_COLUMNS } from '../../src/api/schemas.js';
import { csvCell, decimalAmount } from '../../demo/server/http/csv.js';
import { api } from './http.js';

const server = await sharedServer();
const p = server.platform;

/** A strict RFC 4180 parser for the assertions. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endCell();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += ch;
  }
  assert.equal(row.length + cell.length, 0, 'the file ends with CRLF');
  return rows;
}

describe('CSV export', () => {
  test('header, quoting, formula guard, money, dates and tags', async () => {
    const { user, crmId } = await p.mentor('Exporter', 'USD');
    const http = api(server.url, user.token);
    const tricky = await p.booking(crmId, user.id, {
      email: `${unique()}@example.test`,
      name: '=HYPERLINK("http://evil.example","Click")',
      phone: '+1 555 0100',
      startsAt: '2026-06-01T23:30:00.000Z',
      amountMinor: 12_345,
    });
    await http.put(`/v1/crms/${crmId}/clients/${tricky.clientId}/tags`, {
      tags: ['VIP, gold', '@home', 'say "hi"'],
    });
    await p.booking(crmId, user.id, {
      email: `${unique()}@example.test`,
      name: 'Plain Jane',
      startsAt: daysAgo(3),
      amountMinor: 500,
    });
    const r = await http.get(`/v1/crms/${crmId}/clients/export.csv?sort=name`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(r.headers.get('content-disposition') ?? '', /^attachment; filename="[^"]+\.csv"$/);
    assert.ok(r.text.startsWith(`${CSV_COLUMNS.join(',')}\r\n`));
    const rows = parseCsv(r.text);
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 3);
    const [evil, jane] = [rows[1]!, rows[2]!].sort((a) => (a[0]!.startsWith("'") ? -1 : 1));
    assert.equal(evil[0], `'=HYPERLINK("http://evil.example","Click")`);
    assert.equal(evil[2], '+1 555 0100', 'a plain phone number is exported as it is');
    assert.equal(evil[3], '1');
    assert.equal(evil[4], '123.45');
    assert.equal(evil[5], '2026-06-01');
    assert.equal(evil[6], '2026-06-01');
    assert.equal(evil[7], 'active');
    assert.equal(evil[8], 'VIP, gold; @home; say "hi"');
    assert.equal(jane![0], 'Plain Jane');
    assert.equal(jane![4], '5.00');
    // the raw text quotes what needs quoting
    assert.ok(r.text.includes('"\'=HYPERLINK(""http://evil.example"",""Click"")"'));
  });

  test('cells starting with = + - @ tab or CR get a leading quote; others are untouched', () => {
    for (const bad of ['=1+1', '+49', '-5', '@SUM(A1)', '\tx', '\rx']) {
      assert.ok(csvCell(bad).replace(/^"/, '').startsWith("'"), JSON.stringify(bad));
    }
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('line\nbreak'), '"line\nbreak"');
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(-5), '-5');
  });

  test('a phone of digits, spaces and +()./- is exported unchanged; any other is guarded', () => {
    for (const plain of ['+34 460 383 6787', '+1 (555) 010-0100', '-555.0100', '0034/460 38']) {
      assert.equal(csvCell({ phone: plain }), plain);
    }
    assert.equal(csvCell({ phone: '=1+1' }), "'=1+1");
    assert.equal(csvCell({ phone: '+1 555 0100 ext. 5' }), "'+1 555 0100 ext. 5");
    assert.equal(csvCell({ phone: '@SUM(A1)' }), "'@SUM(A1)");
    assert.equal(csvCell({ phone: '-2+3,4' }), `"'-2+3,4"`);
    assert.equal(csvCell({ phone: null }), '');
    // the exemption is the phone column's only: the same text elsewhere is guarded
    assert.equal(csvCell('+34 460 383 6787'), "'+34 460 383 6787");
  });

  test('money uses the currency minor digits', () => {
    assert.equal(decimalAmount(12_500, 'USD'), '125.00');
    assert.equal(decimalAmount(5, 'EUR'), '0.05');
    assert.equal(decimalAmount(12_500, 'JPY'), '12500');
    assert.equal(decimalAmount(12_345, 'BHD'), '12.345');
    assert.equal(decimalAmount(0, 'USD'), '0.00');
  });

  test('the export applies the list filters and spans many batches; totals cap at 1,000 matches', async () => {
    const { user, crmId } = await p.mentor();
    const http = api(server.url, user.token);
    // 1,200 clients with two years of bookings, written straight to the database (the seed
    // generator), so the export needs several batches
    await generateCrm(server.db, {
      crmId,
      kind: 'mentor',
      clients: 1200,
      teacherIds: [user.id],
      currency: 'USD',
      now: new Date(TEST_NOW),
      seed: 7,
    });
    const all = parseCsv((await http.get(`/v1/crms/${crmId}/clients/export.csv`)).text);
    assert.equal(all.length, 1201);
    assert.equal(new Set(all.slice(1).map((r) => r[1])).size, 1200);
    // The generator's bulk inserts are counted in the CRM's total like bookings' clients.
    assert.equal((await http.get(`/v1/crms/${crmId}/clients?limit=1`)).body.total, 1200);
    const lapsedTotal = (await http.get(`/v1/crms/${crmId}/clients?status=lapsed&limit=1`)).body
      .total;
    assert.ok(lapsedTotal > 0 && lapsedTotal < 1200);
    const lapsed = parseCsv(
      (await http.get(`/v1/crms/${crmId}/clients/export.csv?status=lapsed&sort=spend`)).text,
    );
    assert.equal(lapsed.length, lapsedTotal + 1);

    // totalCapped (SPEC section 3): a search or filter stops counting at 1,000 matches, on
    // the first page and on the pages its cursor continues; the unfiltered total is exact.
    const everyone = await http.get(`/v1/crms/${crmId}/clients?q=%40&limit=50`);
    assert.deepEqual([everyone.body.total, everyone.body.totalCapped], [1000, true]);
    const next = await http.get(
      `/v1/crms/${crmId}/clients?q=%40&limit=50&cursor=${encodeURIComponent(everyone.body.nextCursor)}`,
    );
    assert.deepEqual([next.body.total, next.body.totalCapped], [1000, true]);
    const unfiltered = await http.get(`/v1/crms/${crmId}/clients?limit=1`);
    assert.deepEqual([unfiltered.body.total, unfiltered.body.totalCapped], [1200, false]);
    const some = await http.get(`/v1/crms/${crmId}/clients?status=lapsed&limit=1`);
    assert.deepEqual([some.body.total, some.body.totalCapped], [lapsedTotal, false]);
    assert.ok(lapsed.slice(1).every((r) => r[7] === 'lapsed'));
    const spends = lapsed.slice(1).map((r) => Number(r[4]));
    assert.deepEqual(
      spends,
      [...spends].sort((a, b) => b - a),
    );
    const bad = await http.get(`/v1/crms/${crmId}/clients/export.csv?status=nope`);
    assert.equal(bad.status, 400);
  });
});

describe('erasure', () => {
  test('erasure notifies each affected owner first, then anonymises; bookings and totals stay', async () => {
    const mentor = await p.mentor('Mia');
    const studio = await p.studio(1, 'USD');
    const email = `${unique('gone')}@example.test`;
    const inMentor = await p.client(mentor.crmId, mentor.user.id, {
      email,
      name: 'Gone Person',
      phone: '+1 555',
      avatarUrl: 'https://img.example/a.jpg',
      bookings: 3,
      amountMinor: 1500,
    });
    const inStudio = (
      await p.booking(studio.crmId, studio.teachers[0]!.id, { email, name: 'Gone Person' })
    ).clientId;
    const mHttp = api(server.url, mentor.user.token);
    const base = `/v1/crms/${mentor.crmId}/clients/${inMentor}`;
    await mHttp.put(`${base}/note`, { text: 'Private' }, { 'if-match': '"0"' });
    await mHttp.put(`${base}/tags`, { tags: ['VIP'] });
    await mHttp.post(`${base}/messages`, { subject: 'Hi', body: 'Hi' });
    const before = (await mHttp.get(base)).body;
    const beforeBookings = (await mHttp.get(`${base}/bookings`)).body.items;

    const outboxBefore = (await p.outbox()).length;
    const result = await p.erase(`  ${email.toUpperCase()} `);
    assert.deepEqual(result.affectedCrms.sort(), [mentor.crmId, studio.crmId].sort());

    const notices = (await p.outbox())
      .slice(outboxBefore)
      .filter((m) => m.kind === 'erasure_notice');
    assert.deepEqual(
      notices.map((n) => n.to).sort(),
      [mentor.user.email, studio.owner.email].sort(),
    );

    const after = (await mHttp.get(base)).body;
    assert.equal(after.name, 'Deleted client');
    assert.equal(after.email, null);
    assert.equal(after.phone, null);
    assert.equal(after.avatarUrl, null);
    assert.deepEqual(after.tags, []);
    assert.equal(after.erased, true);
    assert.deepEqual(after.messages, { lastSentAt: null, sentLast90Days: 0 });
    for (const k of [
      'totalBookings',
      'lifetimeSpend',
      'firstBookingAt',
      'lastBookingAt',
      'lastAttendedAt',
      'status',
      'averageSpend',
    ]) {
      assert.deepEqual(after[k], before[k], k);
    }
    assert.deepEqual((await mHttp.get(`${base}/note`)).body, {
      text: '',
      version: 0,
      updatedAt: null,
      updatedBy: null,
    });
    assert.deepEqual((await mHttp.get(`${base}/bookings`)).body.items, beforeBookings);
    const studioClient = (
      await api(server.url, studio.owner.token).get(`/v1/crms/${studio.crmId}/clients/${inStudio}`)
    ).body;
    assert.equal(studioClient.erased, true);
    // the list no longer finds them by email; the CSV shows no email
    assert.equal(
      (await mHttp.get(`/v1/crms/${mentor.crmId}/clients?q=${encodeURIComponent(email)}`)).body
        .total,
      0,
    );
    const csv = parseCsv((await mHttp.get(`/v1/crms/${mentor.crmId}/clients/export.csv`)).text);
    assert.deepEqual(csv[1]!.slice(0, 3), ['Deleted client', '', '']);
    // personal actions on an erased client are refused
    assert.equal((await mHttp.post(`${base}/messages`, { subject: 'Hi', body: 'Hi' })).status, 400);
    assert.equal((await mHttp.put(`${base}/tags`, { tags: ['x'] })).status, 400);
    assert.equal(
      (await mHttp.put(`${base}/note`, { text: 'x' }, { 'if-match': '"0"' })).status,
      400,
    );
  });

  test('re-sending an erased client’s old booking does not bring the personal data back', async () => {
    const m = await p.mentor();
    const email = `${unique()}@example.test`;
    const id = unique('bk');
    const { clientId } = await p.booking(m.crmId, m.user.id, { id, email, name: 'Secret Name' });
    await p.erase(email);
    const again = await p.booking(m.crmId, m.user.id, {
      id,
      email,
      name: 'Secret Name',
      status: 'completed',
    });
    assert.equal(again.clientId, clientId);
    const c = (await api(server.url, m.user.token).get(`/v1/crms/${m.crmId}/clients/${clientId}`))
      .body;
    assert.equal(c.name, 'Deleted client');
    assert.equal(c.totalBookings, 1);
  });

  test('an erasure for an unknown email affects nothing and notifies nobody', async () => {
    const before = (await p.outbox()).length;
    assert.deepEqual(await p.erase(`${unique()}@nowhere.example`), { affectedCrms: [] });
    assert.equal((await p.outbox()).length, before);
  });
});
