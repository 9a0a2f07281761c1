/**
 * A Kysely dialect for embedded PGlite that is safe under concurrent requests.
 *
 * PGlite is one connection. A transaction is a BEGIN ... COMMIT on that connection, so two
 * requests interleaving their statements would run inside each other's transactions. This
 * driver hands out the connection under a mutex: a plain query holds it for one statement,
 * a transaction for its whole length. (kysely-pglite's driver has no such lock.)
 *
 * Rule that follows: inside `db.transaction()`, use only the transaction handle; a query on
 * the outer `db` would wait for the lock the transaction holds.
 */
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

class Mutex {
  #tail: Promise<void> = Promise.resolve();

  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const acquired = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => next);
    return acquired;
  }
}

/** The table an insert, update or delete writes (its first one), from the statement. */
const WRITE = /^\s*(?:insert\s+into|update|delete\s+from)\s+"?([a-z_]+)"?/i;

class PGliteConnection implements DatabaseConnection {
  constructor(
    readonly client: PGlite,
    readonly release: () => void,
    readonly onWrite?: (table: string, rows: number) => void,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.client.query<R>(query.sql, [...query.parameters]);
    if (this.onWrite && result.affectedRows) {
      const table = WRITE.exec(query.sql)?.[1];
      if (table) this.onWrite(table.toLowerCase(), result.affectedRows);
    }
    return {
      rows: result.rows,
      ...(result.affectedRows !== undefined
        ? { numAffectedRows: BigInt(result.affectedRows) }
        : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not stream; page with a keyset instead');
  }
}

class PGliteDriver implements Driver {
  readonly #mutex = new Mutex();

  constructor(
    readonly client: PGlite,
    readonly options: SerialPGliteOptions,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.#mutex.lock();
    return new PGliteConnection(this.client, release, this.options.onWrite);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PGliteConnection).release();
  }

  async destroy(): Promise<void> {
    try {
      await this.options.beforeClose?.();
      await this.client.close();
    } finally {
      this.options.onClose?.();
    }
  }
}

export interface SerialPGliteOptions {
  /** Called once PGlite is closed (`db.destroy()`): releases the data directory's lock. */
  onClose?: () => void;
  /** Awaited before PGlite closes (`db.destroy()`). */
  beforeClose?: () => Promise<void>;
  /** Called after a statement that wrote rows: the table it names and the rows written. */
  onWrite?: (table: string, rows: number) => void;
}

export class SerialPGliteDialect implements Dialect {
  constructor(
    readonly client: PGlite,
    readonly options: SerialPGliteOptions = {},
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PGliteDriver(this.client, this.options);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
