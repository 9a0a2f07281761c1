/**
 * Durability (SPEC section 9): a write answered 2xx survives a `kill -9` of the server and a
 * restart on the same data. On PGlite (a temporary data directory) and, under
 * test/server/with-postgres.sh, on PostgreSQL (the server process is killed, not PostgreSQL).
 *
 * Concurrent writers upsert bookings (new ones, and changes to their own earlier ones) and
 * save notes; the server is killed with SIGKILL in the middle of the burst. After the
 * restart every write that was answered 2xx is there (or a later write to the same booking
 * or note that was sent before the kill), and every client's totals are what its bookings
 * give (SPEC section 2).
 */
import assert from 'node:assert/strict';
import fs, { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../demo/server/db/database.js';
import type { BookingStatus, PaymentStatus } from '../../src/api/schemas.js';
import { Platform, daysAgo, unique } from '../helpers/platform.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { api, type Reply } from './http.js';

const databaseUrl = process.env.TEST_DATABASE_URL;
const CLIENTS = 5;
const BOOKING_WRITERS = 6;
/** Kill once this many writes have been answered (the writers go on until the kill). */
const KILL_AFTER_ACKS = 60;

interface Attempt {
  status: BookingStatus;
  payment: PaymentStatus;
  amountMinor: number;
  refundedMinor: number;
}

/** Every version sent for one booking id, in order, and the last one answered 2xx. */
interface BookingLog {
  clientIndex: number;
  attempts: Attempt[];
  acked: number;
}

/** Every text sent for one client's note, by the version it would get, and the last acked. */
interface NoteLog {
  sent: Map<number, string>;
  ackedVersion: number;
}

interface BookingItem {
  id: string;
  status: BookingStatus;
  payment: {
    status: PaymentStatus;
    amount: { amountMinor: number };
    refunded: { amountMinor: number };
  };
}

const STATUSES: BookingStatus[] = ['booked', 'completed', 'no_show', 'cancelled'];
const PAYMENTS: PaymentStatus[] = ['unpaid', 'paid', 'refunded', 'partially_refunded'];

function randomAttempt(): Attempt {
  const payment = PAYMENTS[Math.floor(Math.random() * PAYMENTS.length)]!;
  const amountMinor = 500 + Math.floor(Math.random() * 5000);
  const refundedMinor =
    payment === 'refunded' ? amountMinor : payment === 'partially_refunded' ? 300 : 0;
  return {
    status: STATUSES[Math.floor(Math.random() * STATUSES.length)]!,
    payment,
    amountMinor,
    refundedMinor,
  };
}

async function start(
  env: Record<string, string>,
): Promise<{ proc: ServerProcess; url: string; ms: number }> {
  const started = Date.now();
  const proc = spawnServer({ env });
  const url = await proc.url(120_000);
  return { proc, url, ms: Date.now() - started };
}

test(
  `a write answered 2xx survives kill -9 of the server and a restart (${databaseUrl ? 'PostgreSQL' : 'PGlite'})`,
  { timeout: 180_000 },
  async (t) => {
    const dataDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'crm-durability-'));
    const env: Record<string, string> = databaseUrl
      ? { DATABASE_URL: databaseUrl }
      : { CRM_DATA_DIR: dataDir! };
    try {
      const first = await start(env);
      const p = new Platform(first.url);
      const { user, crmId } = await p.mentor();
      const emails = Array.from({ length: CLIENTS }, () => `${unique('durable')}@example.test`);
      const clientIds: string[] = [];
      const bookings = new Map<string, BookingLog>();
      for (const [i, email] of emails.entries()) {
        const id = unique('bk');
        const attempt: Attempt = {
          status: 'completed',
          payment: 'paid',
          amountMinor: 1000,
          refundedMinor: 0,
        };
        const res = await p.booking(crmId, user.id, { id, email, amountMinor: 1000 });
        bookings.set(id, { clientIndex: i, attempts: [attempt], acked: 0 });
        clientIds.push(res.clientId);
      }
      const notes: NoteLog[] = clientIds.map(() => ({ sent: new Map(), ackedVersion: 0 }));

      let killed = false;
      let acks = 0;
      let resolveKillPoint!: () => void;
      const killPoint = new Promise<void>((resolve) => (resolveKillPoint = resolve));
      const acked = () => ++acks >= KILL_AFTER_ACKS && resolveKillPoint();

      const bookingWriter = async (w: number) => {
        const own: string[] = [];
        for (let n = 0; !killed; n++) {
          // Half new bookings, half changes to one of this writer's own (one writer per id,
          // so the order of its versions is the order they were sent).
          const change = own.length > 0 && n % 2 === 1;
          const id = change ? own[Math.floor(Math.random() * own.length)]! : unique(`bk${w}`);
          const clientIndex = change ? bookings.get(id)!.clientIndex : (w + n) % CLIENTS;
          const attempt = randomAttempt();
          const log = bookings.get(id) ?? { clientIndex, attempts: [], acked: -1 };
          bookings.set(id, log);
          log.attempts.push(attempt);
          const index = log.attempts.length - 1;
          try {
            await p.booking(crmId, user.id, {
              id,
              email: emails[clientIndex]!,
              startsAt: daysAgo(1 + Math.floor(Math.random() * 300)),
              status: attempt.status,
              paymentStatus: attempt.payment,
              amountMinor: attempt.amountMinor,
              refundedMinor: attempt.refundedMinor,
            });
            log.acked = index;
            if (!change) own.push(id);
            acked();
          } catch {
            return; // the server is gone
          }
        }
      };

      const http = api(first.url, user.token);
      const noteWriter = async (c: number) => {
        const log = notes[c]!;
        for (let version = 0; !killed; version++) {
          const text = `note ${version + 1} ${unique()}`;
          log.sent.set(version + 1, text);
          try {
            const res = await http.put(
              `/v1/crms/${crmId}/clients/${clientIds[c]}/note`,
              { text },
              { 'if-match': `"${version}"` },
            );
            assert.equal(res.status, 200, res.text);
            log.ackedVersion = version + 1;
            acked();
          } catch {
            return;
          }
        }
      };

      const writers = [
        ...Array.from({ length: BOOKING_WRITERS }, (_, w) => bookingWriter(w)),
        ...clientIds.map((_, c) => noteWriter(c)),
      ];
      await killPoint;
      first.proc.child.kill('SIGKILL');
      killed = true;
      await first.proc.exited;
      await Promise.all(writers);
      const sent = [...bookings.values()].reduce((n, b) => n + b.attempts.length, 0);
      const answeredBookings = [...bookings.values()].filter((b) => b.acked >= 0).length;
      t.diagnostic(
        `killed after ${acks} answered writes: ${answeredBookings} bookings and ` +
          `${notes.reduce((n, x) => n + x.ackedVersion, 0)} note saves answered, ${sent} booking writes sent`,
      );

      const second = await start(env);
      t.diagnostic(
        `restart on the same data: listening after ${second.ms} ms (first start ${first.ms} ms)`,
      );
      try {
        const after = api(second.url, user.token);
        for (const [c, clientId] of clientIds.entries()) {
          const base = `/v1/crms/${crmId}/clients/${clientId}`;
          // Every booking of this client, all pages.
          const items: BookingItem[] = [];
          for (let cursor: string | null = ''; cursor !== null;) {
            const page: Reply<{ items: BookingItem[]; nextCursor: string | null }> =
              await after.get(
                `${base}/bookings?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
              );
            assert.equal(page.status, 200, page.text);
            items.push(...page.body.items);
            cursor = page.body.nextCursor;
          }
          const byId = new Map(items.map((b) => [b.id, b]));
          for (const [id, log] of bookings) {
            if (log.clientIndex !== c || log.acked < 0) continue;
            const found = byId.get(id);
            assert.ok(found, `booking ${id} was answered 2xx and is missing after the restart`);
            const now: Attempt = {
              status: found.status,
              payment: found.payment.status,
              amountMinor: found.payment.amount.amountMinor,
              refundedMinor: found.payment.refunded.amountMinor,
            };
            const possible = log.attempts.slice(log.acked);
            assert.ok(
              possible.some((a) => JSON.stringify(a) === JSON.stringify(now)),
              `booking ${id}: ${JSON.stringify(now)} is not its answered version or a later one`,
            );
          }
          // The client's totals are what its bookings give.
          const detail = await after.get(base);
          assert.equal(detail.status, 200, detail.text);
          const counted = items.filter((b) => b.status !== 'cancelled');
          const spent = items.filter(
            (b) =>
              b.status !== 'booked' &&
              ['paid', 'partially_refunded', 'refunded'].includes(b.payment.status),
          );
          assert.equal(detail.body.totalBookings, counted.length, `client ${c}: totalBookings`);
          assert.equal(
            detail.body.lifetimeSpend.amountMinor,
            spent.reduce(
              (sum, b) => sum + b.payment.amount.amountMinor - b.payment.refunded.amountMinor,
              0,
            ),
            `client ${c}: lifetimeSpend`,
          );
          // The note: the answered version, or a later one that was sent.
          const note = await after.get(`${base}/note`);
          const log = notes[c]!;
          assert.ok(
            note.body.version >= log.ackedVersion,
            `client ${c}: note version ${note.body.version} < answered ${log.ackedVersion}`,
          );
          if (note.body.version > 0) assert.equal(note.body.text, log.sent.get(note.body.version));
        }
      } finally {
        second.proc.child.kill('SIGTERM');
        assert.equal((await second.proc.exited).code, 0, second.proc.output());
      }
    } finally {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test('PGlite syncs every commit to disk: fsync on, and fsync calls reach the disk', async () => {
  // PGlite's default is fsync off, and on Node its file system had no fsync at all: a commit
  // lived in the OS cache only, lost (or the directory corrupted) by an OS crash or power cut.
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-fsync-'));
  const db = await openDatabase({ dataDir });
  const original = fs.fsyncSync;
  let calls = 0;
  fs.fsyncSync = (fd) => {
    calls++;
    original(fd);
  };
  try {
    const setting = async (name: string) =>
      (await sql<Record<string, string>>`select current_setting(${name}) as v`.execute(db)).rows[0]!
        .v;
    assert.equal(await setting('fsync'), 'on');
    assert.equal(await setting('wal_sync_method'), 'fsync');
    assert.equal(await setting('synchronous_commit'), 'on');
    calls = 0;
    await sql`insert into users (id, name, email) values (${unique('u')}, 'Sync Test', 'sync@example.test')`.execute(
      db,
    );
    assert.ok(calls >= 1, `a commit made ${calls} fsync calls`);
  } finally {
    fs.fsyncSync = original;
    await db.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
