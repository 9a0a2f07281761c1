/**
 * PGlite runs no autovacuum (issue 18): the server analyzes a table once the rows written to
 * it pass autovacuum's threshold (50 + 10% of its rows), on a timer after the write.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../demo/server/db/database.js';
import { analyzeThreshold } from '../../demo/server/db/statistics.js';

const reltuples = async (db: Awaited<ReturnType<typeof openDatabase>>, table: string) =>
  Number(
    (
      await sql<{
        n: number;
      }>`select reltuples::float8 as n from pg_class where oid = ${table}::regclass`.execute(db)
    ).rows[0]!.n,
  );

test('PGlite analyzes a table once enough rows were written to it, off the writing request', async () => {
  const db = await openDatabase({ dataDir: 'memory' });
  try {
    assert.equal(analyzeThreshold(0), 50);
    assert.equal(analyzeThreshold(10_000), 1050);
    // analyzed after the migrations: an empty table
    assert.ok((await reltuples(db, 'users')) <= 0);
    // 40 rows: under the threshold, nothing happens
    await sql`insert into users (id, name, email) select 'u' || g, 'U', 'u' || g || '@x.test' from generate_series(1, 40) g`.execute(
      db,
    );
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok((await reltuples(db, 'users')) <= 0);
    // 260 more: over it; the statistics follow within the keeper's delay
    await sql`insert into users (id, name, email) select 'v' || g, 'V', 'v' || g || '@x.test' from generate_series(1, 260) g`.execute(
      db,
    );
    const started = Date.now();
    while ((await reltuples(db, 'users')) !== 300 && Date.now() - started < 20_000) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(await reltuples(db, 'users'), 300);
  } finally {
    await db.destroy();
  }
});
