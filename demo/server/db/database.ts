/**
 * Opens the database: a real PostgreSQL server when `databaseUrl` is set, embedded PGlite
 * otherwise (persisted in `dataDir`, or in memory for 'memory'). Same SQL on both.
 */
import { mkdirSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.js';
import { SerialPGliteDialect } from './pglite-dialect.js';
import { migrate } from './migrations.js';

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}

export async function openDatabase(options: DatabaseOptions): Promise<Db> {
  let db: Db;
  if (options.databaseUrl) {
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  } else {
    const { PGlite } = await import('@electric-sql/pglite');
    const dataDir = options.dataDir ?? '.data/crm';
    let client;
    if (dataDir === 'memory') {
      client = await PGlite.create();
    } else {
      mkdirSync(dataDir, { recursive: true });
      client = await PGlite.create({ dataDir });
    }
    db = new Kysely<Database>({ dialect: new SerialPGliteDialect(client) });
  }
  await migrate(db);
  return db;
}
