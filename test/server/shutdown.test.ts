/**
 * Shutdown: SIGTERM or SIGINT stops new connections, answers the requests in flight, closes
 * the database and exits 0; a request still running at the deadline is cut.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, test } from 'node:test';
import { startTestServer } from '../helpers/server.js';
import { Platform, daysAgo } from '../helpers/platform.js';
import { spawnServer } from '../helpers/process.js';

/** Fires `n` booking upserts at once; resolves with each one's status (0: no answer). */
function burst(p: Platform, crmId: string, teacherId: string, n: number) {
  return Array.from({ length: n }, (_, i) =>
    p
      .booking(crmId, teacherId, {
        email: `burst-${i % 5}@example.test`,
        startsAt: daysAgo(i),
        amountMinor: 1000 + i,
      })
      .then(
        () => 200,
        (error: Error) => Number(/-> (\d+)/.exec(error.message)?.[1] ?? 0),
      ),
  );
}

describe('shutdown', () => {
  const cases = [
    // What a process manager does: SIGTERM to the process it started.
    { signal: 'SIGTERM', to: 'npm run server', group: false },
    // What Ctrl-C in a terminal does: SIGINT to every process of the foreground group.
    { signal: 'SIGINT', to: 'the process group of npm run server', group: true },
  ] as const;
  for (const { signal, to, group } of cases) {
    test(`${signal} to ${to}: every request in flight is answered, then exit 0`, async () => {
      const server = spawnServer({ viaNpm: true, group, env: { CRM_DATA_DIR: 'memory' } });
      try {
        const url = await server.url();
        const p = new Platform(url);
        const { user, crmId } = await p.mentor();
        const n = 40;
        const replies = burst(p, crmId, user.id, n);
        // Once a quarter is answered, the server has accepted the rest and is working on them
        // (PGlite takes one at a time): those are the requests in flight.
        let answered = 0;
        await new Promise<void>((resolve) => {
          for (const reply of replies) void reply.then(() => ++answered === n / 4 && resolve());
        });
        if (group) process.kill(-server.child.pid!, signal);
        else server.child.kill(signal);
        const statuses = await Promise.all(replies);
        const { code } = await server.exited;
        assert.deepEqual(
          statuses.filter((s) => s !== 200),
          [],
          `every request answered 200:\n${server.output()}`,
        );
        assert.equal(code, 0, server.output());
        assert.match(server.output(), /Stopped: \d+ requests answered since \w+, 0 cut off/);
      } finally {
        server.child.kill('SIGKILL');
      }
    });
  }
});

describe('close()', () => {
  test('idle connections close at once, new ones are refused, a request running at the deadline is cut', async () => {
    const server = await startTestServer();
    const open = async () => {
      const socket = connect(server.port, '127.0.0.1');
      await new Promise((resolve) => socket.once('connect', resolve));
      return socket;
    };
    // A keep-alive connection that has been answered and now idles.
    const idle = await open();
    idle.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await new Promise((resolve) => idle.once('data', resolve));
    const idleClosed = new Promise<number>((resolve) =>
      idle.once('close', () => resolve(Date.now())),
    );
    // A body announced but never finished: the request stays in flight.
    const slow = await open();
    slow.write(
      `PUT /v1/platform/bookings/slow HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.platform.platformToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"crmId":`,
    );
    const slowClosed = new Promise<number>((resolve) =>
      slow.once('close', () => resolve(Date.now())),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    const closed = server.close({ deadlineMs: 1500 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const refused = await new Promise<boolean>((resolve) => {
      const probe = connect(server.port, '127.0.0.1');
      probe.once('connect', () => (probe.destroy(), resolve(false)));
      probe.once('error', () => resolve(true));
    });
    const report = await closed;
    const took = Date.now() - started;

    assert.ok((await idleClosed) - started < 500, 'the idle connection is closed at once');
    assert.equal(refused, true, 'a new connection during the shutdown is refused');
    assert.ok((await slowClosed) - started >= 1400, 'the running request is cut at the deadline');
    assert.deepEqual(report, { answered: 0, cut: 1 });
    assert.ok(took >= 1490 && took < 3500, `closed after ${took} ms`);
  });
});
