/**
 * `node --import tsx bench/pglite-fsync.ts [--n 200] [--rounds 2]`: what syncing every
 * commit costs on PGlite. Booking upserts over HTTP, one at a time, against a server on a
 * fresh data directory under `.data/` (the disk the demo's data lives on), with
 * `CRM_PGLITE_FSYNC=off` (PGlite's own default) and `on` (the server's), interleaved.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startServer } from '../demo/server/index.js';
import { Platform, daysAgo } from '../test/helpers/platform.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '200' }, rounds: { type: 'string', default: '2' } },
});
const n = Number(values.n);
const rounds = Number(values.rounds);
const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

mkdirSync('.data', { recursive: true });
for (let round = 0; round < rounds; round++) {
  for (const mode of ['off', 'on']) {
    process.env.CRM_PGLITE_FSYNC = mode;
    const dataDir = mkdtempSync(join('.data', 'fsync-bench-'));
    const server = await startServer({ port: 0, dataDir, platformToken: 'bench', now: daysAgo(0) });
    try {
      const p = new Platform(server.url, 'bench');
      const { user, crmId } = await p.mentor();
      for (let i = 0; i < 20; i++) await p.booking(crmId, user.id, { email: `warm${i}@x.test` });
      const ms: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        await p.booking(crmId, user.id, {
          email: `client${i % 50}@x.test`,
          startsAt: daysAgo(i % 300),
          amountMinor: 1000 + i,
        });
        ms.push(performance.now() - started);
      }
      const f = (x: number) => x.toFixed(1);
      console.log(
        `fsync ${mode.padEnd(3)} booking upsert n=${n}: p50 ${f(percentile(ms, 50))} ms, p95 ${f(percentile(ms, 95))} ms`,
      );
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
}
