/**
 * Start-up: one process per PGlite data directory (a second one refuses at once, a lock left
 * by a killed process is taken over), and every start-up failure is one line that says what,
 * where and what to do: a held or broken data directory, PostgreSQL unreachable, a wrong or
 * missing password, a missing role or database, a role without rights.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import pg from 'pg';
import { LOCK_FILE, lockDataDir } from '../../demo/server/db/data-dir-lock.js';
import { openDatabase } from '../../demo/server/db/database.js';
import { StartupError } from '../../demo/server/startup-error.js';
import { spawnServer } from '../helpers/process.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-startup-'));
  dirs.push(dir);
  return dir;
};
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The lines a failed start printed, and how long it took to fail. */
async function failedStart(env: Record<string, string>, script?: string) {
  const started = Date.now();
  const proc = spawnServer({ env, ...(script ? { script } : {}) });
  const { code } = await proc.exited;
  const lines = proc.output().trim().split('\n');
  return { code, lines, ms: Date.now() - started };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('the PGlite data directory', () => {
  test('a second server or npm start on the same directory refuses at once, in one line naming the holder', async () => {
    const dataDir = tempDir();
    const first = spawnServer({ env: { CRM_DATA_DIR: dataDir } });
    try {
      const url = await first.url(120_000);
      const port = new URL(url).port;
      for (const script of ['demo/server/main.ts', 'demo/start.ts']) {
        const second = await failedStart({ CRM_DATA_DIR: dataDir }, script);
        assert.equal(second.code, 1, second.lines.join('\n'));
        assert.equal(second.lines.length, 1, second.lines.join('\n'));
        const [line] = second.lines;
        assert.match(line!, new RegExp(`in use by process ${first.child.pid} `));
        assert.match(line!, new RegExp(`serving http://127\\.0\\.0\\.1:${port} `));
        assert.match(line!, /kill \d+/);
        assert.match(line!, /CRM_DATA_DIR/);
        assert.ok(second.ms < 15_000, `refused after ${second.ms} ms`);
      }
      // The first server is untouched.
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
    }
    // Killed with -9, it left its lock: the next start takes it over.
    const lock = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
    assert.equal(lock.pid, first.child.pid);
    const next = spawnServer({ env: { CRM_DATA_DIR: dataDir } });
    try {
      const url = await next.url(120_000);
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const taken = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as {
        pid: number;
        url: string;
      };
      assert.deepEqual([taken.pid, taken.url], [next.child.pid, url]);
    } finally {
      next.child.kill('SIGTERM');
      assert.equal((await next.exited).code, 0);
    }
    assert.throws(() => readFileSync(join(dataDir, LOCK_FILE)), /ENOENT/, 'released at shutdown');
  });

  test('a lock is held by one of two racing starts; stale, garbage or own-pid locks are taken over', async () => {
    const dir = tempDir();
    const both = await Promise.allSettled([lockDataDir(dir), lockDataDir(dir)]);
    assert.deepEqual(both.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const won = both.find((r) => r.status === 'fulfilled')!.value;
    const lost = both.find((r) => r.status === 'rejected')!.reason as Error;
    assert.ok(lost instanceof StartupError);
    assert.match(lost.message, new RegExp(`in use by process ${process.pid} \\(starting`));
    won.release();

    const path = join(dir, LOCK_FILE);
    const holder = (pid: number) =>
      JSON.stringify({ pid, host: hostname(), nonce: 'x', url: null });
    const cases: [string, string][] = [
      // A pid no process can have (beyond Linux's largest pid_max).
      ['a dead process', holder(2 ** 22 + 1)],
      // A container restart: the new process got the pid of the one that died.
      ['our own pid, not taken here', holder(process.pid)],
      ['garbage', '{"pid":'],
    ];
    for (const [what, content] of cases) {
      writeFileSync(path, content);
      const old = new Date(Date.now() - 60_000);
      utimesSync(path, old, old);
      const lock = await lockDataDir(dir);
      const now = JSON.parse(readFileSync(path, 'utf8')) as { pid: number };
      assert.equal(now.pid, process.pid, what);
      lock.release();
    }

    // A live process (this one's parent) holds it: refused.
    writeFileSync(path, holder(process.ppid));
    await assert.rejects(lockDataDir(dir), new RegExp(`in use by process ${process.ppid} `));
  });

  test('a data directory that cannot be opened: one line with what, where and how to start afresh', async () => {
    const dataDir = tempDir();
    // A data directory PGlite takes for an existing cluster, with a damaged control file.
    writeFileSync(join(dataDir, 'PG_VERSION'), '17\n');
    mkdirSync(join(dataDir, 'global'));
    writeFileSync(join(dataDir, 'global', 'pg_control'), Buffer.alloc(8192, 7));
    const { code, lines } = await failedStart({ CRM_DATA_DIR: dataDir });
    assert.equal(code, 1);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0]!, new RegExp(`^Cannot open the PGlite data directory ${dataDir} `));
    assert.match(lines[0]!, new RegExp(`mv ${dataDir} ${dataDir}\\.broken`));
    assert.throws(() => readFileSync(join(dataDir, LOCK_FILE)), /ENOENT/, 'no lock left behind');
  });
});

describe('PostgreSQL start-up errors', () => {
  test('unreachable: one line naming DATABASE_URL with the password masked, and the fix', async () => {
    const port = await freePort();
    const url = `postgres://crm:s3cret-pw@127.0.0.1:${port}/crm`;
    const { code, lines } = await failedStart({ DATABASE_URL: url });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      `Cannot reach PostgreSQL at 127.0.0.1:${port} (DATABASE_URL=postgres://crm:***@127.0.0.1:${port}/crm): connection refused. Start the server, or fix the host and port in DATABASE_URL; unset DATABASE_URL to use the embedded database.`,
    ]);
  });

  // These need a PostgreSQL server: test/server/with-postgres.sh runs them (its role crm has
  // a password over TCP; other roles are trusted).
  const base = process.env.TEST_DATABASE_URL;
  if (base) {
    const withUrl = (change: (url: URL) => void) => {
      const url = new URL(base);
      change(url);
      return url.toString();
    };
    const refusal = async (databaseUrl: string) => {
      const error = await openDatabase({ databaseUrl }).then(
        () => assert.fail('opened'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof StartupError, String(error));
      assert.doesNotMatch(error.message, /\n/);
      return error.message;
    };
    const masked = (url: string) => url.replace(/:[^:@/]+@/, ':***@');

    test('a wrong password, no password, a missing role or database: one line each, with the fix', async () => {
      const wrong = withUrl((u) => (u.password = 'not-the-password'));
      assert.equal(
        await refusal(wrong),
        `PostgreSQL refused the password for role "crm" (DATABASE_URL=${masked(wrong)}). Put the role's password in DATABASE_URL: postgres://USER:PASSWORD@HOST/DB (URL-encoded).`,
      );
      const none = withUrl((u) => (u.password = ''));
      assert.match(
        await refusal(none),
        /asks for a password for role "crm" and DATABASE_URL has none/,
      );
      const role = withUrl((u) => ((u.username = 'no_such_role'), (u.password = '')));
      assert.match(
        await refusal(role),
        /^PostgreSQL has no role "no_such_role" \(DATABASE_URL=postgres:\/\/no_such_role@.*\)\. Name an existing role, or create it: createuser no_such_role\.$/,
      );
      // The README's postgres://HOST/DB as root: the login name is the role.
      const login = withUrl((u) => ((u.username = ''), (u.password = '')));
      assert.match(await refusal(login), /the URL names no user, so your login name ".+" was used/);
      const db = withUrl((u) => (u.pathname = '/no_such_db'));
      assert.equal(
        await refusal(db),
        `PostgreSQL has no database "no_such_db" (DATABASE_URL=${masked(db)}). Create it (createdb -O crm no_such_db) or name an existing one in DATABASE_URL.`,
      );
    });

    test('a role that may not create the tables: one line with the grant to make', async () => {
      const admin = new pg.Client(base);
      await admin.connect();
      const name = `limited_${Date.now().toString(36)}`;
      try {
        await admin.query(`create role ${name} login`);
        await admin.query(`create database ${name}`); // owned by crm; PG 15: no CREATE on public
        const url = withUrl(
          (u) => ((u.username = name), (u.password = ''), (u.pathname = `/${name}`)),
        );
        const message = await refusal(url);
        assert.match(
          message,
          new RegExp(`^Role "${name}" may not create the CRM's tables in database "${name}"`),
        );
        assert.match(message, new RegExp(`ALTER DATABASE ${name} OWNER TO ${name}`));
      } finally {
        await admin.query(`drop database if exists ${name}`);
        await admin.query(`drop role if exists ${name}`);
        await admin.end();
      }
    });
  }
});
