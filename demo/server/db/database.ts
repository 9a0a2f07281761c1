/**
 * Opens the database: a real PostgreSQL server when `databaseUrl` is set, embedded PGlite
 * otherwise (persisted in `dataDir`, or in memory for 'memory'). Same SQL on both.
 *
 * Start-up failures are `StartupError`s with one line a person can act on: a data directory
 * held by another process, one that cannot be opened, a PostgreSQL server that cannot be
 * reached or refuses the role, the password or the database (the URL's password masked).
 */
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database } from './schema.js';
import { SerialPGliteDialect } from './pglite-dialect.js';
import { migrate } from './migrations.js';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { durablePGliteOptions } from './durable-pglite.js';
import { StatisticsKeeper } from './statistics.js';
import { postgresStartupError } from './postgres-errors.js';
import { StartupError } from '../startup-error.js';

export type Db = Kysely<Database>;

export interface DatabaseOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}

/** The lock of each open PGlite data directory. */
const locks = new WeakMap<Db, DataDirLock>();

export async function openDatabase(options: DatabaseOptions): Promise<Db> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : openPGlite(options.dataDir ?? '.data/crm');
}

/**
 * Records where the server that opened `db` serves, so that a second process on the same
 * PGlite data directory can say so. Nothing for PostgreSQL or memory.
 */
export function recordServerUrl(db: Db, url: string) {
  locks.get(db)?.setUrl(url);
}

async function openPostgres(givenUrl: string): Promise<Db> {
  const pg = (await import('pg')).default;
  const databaseUrl = withLoginName(givenUrl);
  // One connection first, with a bound: a wrong host, password, role or database is one
  // readable line, not a pool's stack trace on the first request.
  const probe = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await probe.connect();
  } catch (error) {
    throw postgresStartupError(error, givenUrl, probe);
  } finally {
    await probe.end().catch(() => {});
  }
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw postgresStartupError(error, givenUrl, probe);
  }
  return db;
}

/**
 * A URL without a user connects as the login name, as psql does (pg falls back to $USER,
 * and sends no user at all where that is unset, as in many containers).
 */
function withLoginName(databaseUrl: string): string {
  if (process.env.PGUSER || process.env.USER) return databaseUrl;
  try {
    const url = new URL(databaseUrl);
    if (url.username) return databaseUrl;
    url.username = userInfo().username;
    return url.toString();
  } catch {
    return databaseUrl;
  }
}

/** `CRM_PGLITE_FSYNC`: `on` syncs every commit to disk, `off` is PGlite's own default. */
function pgliteFsync(): boolean {
  const value = process.env.CRM_PGLITE_FSYNC ?? 'on';
  if (value !== 'on' && value !== 'off') {
    throw new StartupError(`CRM_PGLITE_FSYNC must be on or off, got ${value}`);
  }
  return value === 'on';
}

async function openPGlite(dataDir: string): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  // Every open loads the extensions the schema uses (migration 10's trigram indexes): a
  // database with those indexes cannot be read or written without them.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const extensions = { pg_trgm };
  // PGlite has no autovacuum: tables are analyzed as they grow (statistics.ts).
  const stats = new StatisticsKeeper();
  const kept = {
    onWrite: (table: string, rows: number) => stats.written(table, rows),
    beforeClose: () => stats.close(),
  };
  if (dataDir === 'memory') {
    const db = new Kysely<Database>({
      dialect: new SerialPGliteDialect(await PGlite.create({ extensions }), kept),
    });
    await migrate(db);
    await stats.attach(db);
    return db;
  }
  const where = resolve(dataDir);
  try {
    mkdirSync(where, { recursive: true });
  } catch (error) {
    throw new StartupError(
      `Cannot create the PGlite data directory ${where} (${(error as Error).message}). ` +
        'Choose a writable directory with CRM_DATA_DIR.',
    );
  }
  const lock = await lockDataDir(where);
  let client: Awaited<ReturnType<typeof PGlite.create>> | undefined;
  try {
    client = await PGlite.create({
      ...(pgliteFsync() ? durablePGliteOptions(where) : { dataDir: where }),
      extensions,
    });
    const db = new Kysely<Database>({
      dialect: new SerialPGliteDialect(client, { ...kept, onClose: () => lock.release() }),
    });
    await migrate(db);
    await stats.attach(db);
    locks.set(db, lock);
    return db;
  } catch (error) {
    await client?.close().catch(() => {});
    lock.release();
    const what = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new StartupError(
      `Cannot open the PGlite data directory ${where} (${what}); it may be damaged, for ` +
        `instance by two servers writing it at once, or made by another PGlite version. ` +
        `To start afresh, move it away (mv ${dataDir} ${dataDir}.broken) and start again: ` +
        'an empty database is created.',
    );
  }
}
