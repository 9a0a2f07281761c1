/**
 * `npm run seed -- --clients N [--kind studio|mentor]`: generates a large CRM for benchmarks
 * in the configured database (DATABASE_URL, or PGlite in CRM_DATA_DIR) and prints its id
 * and an owner token. `npm run seed -- --demo` seeds the demo data set (empty database only).
 */
import { parseArgs } from 'node:util';
import { configFromEnv } from '../index.js';
import { openDatabase } from '../db/database.js';
import { exitOnStartupError } from '../startup-error.js';
import { generateBenchCrm, mintDemoTokens, seedDemo } from './generate.js';

const { values } = parseArgs({
  options: {
    clients: { type: 'string' },
    kind: { type: 'string', default: 'studio' },
    demo: { type: 'boolean', default: false },
    seed: { type: 'string' },
  },
});
const config = configFromEnv();
const now = config.now ? new Date(config.now) : new Date();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }).catch(
  exitOnStartupError,
);
const started = Date.now();
try {
  if (values.demo) {
    await seedDemo(db, { now, log: (line) => console.log(line) });
    for (const t of await mintDemoTokens(db, now)) {
      console.log(`${t.name} <${t.email}> (${t.crms.join(', ')}): ${t.token}`);
    }
  } else {
    const clients = Number(values.clients ?? 10_000);
    if (!Number.isInteger(clients) || clients < 1)
      throw new Error('--clients must be a positive integer');
    if (values.kind !== 'studio' && values.kind !== 'mentor')
      throw new Error('--kind is studio or mentor');
    const result = await generateBenchCrm(db, {
      clients,
      now,
      kind: values.kind,
      ...(values.seed ? { seed: Number(values.seed) } : {}),
    });
    console.log(
      `Generated ${clients} clients, ${result.bookings} bookings in ${Date.now() - started} ms`,
    );
    console.log(`CRM id: ${result.crmId}`);
    console.log(`Owner token: ${result.token}`);
  }
} finally {
  await db.destroy();
}
