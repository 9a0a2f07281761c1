/**
 * Planner statistics for embedded PGlite, which has no autovacuum: nothing would ANALYZE a
 * table as it grows, and a plan made for an empty or smaller table can be many times slower
 * (a list page took 262 ms without statistics, 29 ms with them, at 100,000 clients).
 *
 * The rule is autovacuum's: a table is analyzed once the rows written since its last
 * analysis exceed 50 + 10% of its rows. Writes are counted as statements report them (the
 * rows a trigger writes are counted on the table that fired it: `sessions` follows
 * `bookings`). The ANALYZE runs on a timer after the write, off the request that made it;
 * on PGlite's one connection it waits for the statement or transaction in progress and
 * holds the next ones for its duration (about a second for the clients of a 100,000-client
 * CRM, measured in bench/README.md). PostgreSQL's autovacuum does this by itself.
 */
import { sql } from 'kysely';
import type { Db } from './database.js';

/** Tables whose writes also change these (by triggers). */
const FOLLOWERS: Record<string, string[]> = { bookings: ['sessions'] };

/** Rows written since the last ANALYZE beyond which a table is analyzed again. */
export const analyzeThreshold = (rows: number) => 50 + 0.1 * rows;

export class StatisticsKeeper {
  readonly #written = new Map<string, number>();
  readonly #rows = new Map<string, number>();
  #db: Db | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  /** Tables analyzed so far (for tests and the bench). */
  analyzed = 0;

  constructor(readonly delayMs = 1000) {}

  /** Starts keeping `db`'s statistics, from its tables' current sizes. */
  async attach(db: Db) {
    this.#db = db;
    const r = await sql<{ relname: string; n: number }>`
      select c.relname, c.reltuples::float8 as n from pg_class c
      join pg_namespace s on s.oid = c.relnamespace
      where c.relkind = 'r' and s.nspname = 'public'
    `.execute(db);
    for (const t of r.rows) this.#rows.set(t.relname, Math.max(0, Number(t.n)));
  }

  /** Called with each write (the dialect's `onWrite`). */
  written(table: string, rows: number) {
    for (const t of [table, ...(FOLLOWERS[table] ?? [])]) {
      this.#written.set(t, (this.#written.get(t) ?? 0) + rows);
    }
    if (this.#due().length > 0) this.#schedule();
  }

  #due(): string[] {
    return [...this.#written]
      .filter(([t, n]) => n > analyzeThreshold(this.#rows.get(t) ?? 0))
      .map(([t]) => t);
  }

  #schedule() {
    if (this.#timer || this.#running || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.run().finally(() => (this.#running = undefined));
    }, this.delayMs);
    this.#timer.unref?.();
  }

  /** Analyzes the tables that are due now; returns once done. */
  async run(): Promise<void> {
    const db = this.#db;
    if (!db || this.#closed) return;
    for (const table of this.#due()) {
      this.#written.set(table, 0);
      try {
        await sql`analyze ${sql.table(table)}`.execute(db);
        const r = await sql<{ n: number }>`
          select reltuples::float8 as n from pg_class where oid = ${table}::regclass
        `.execute(db);
        this.#rows.set(table, Math.max(0, Number(r.rows[0]?.n ?? 0)));
        this.analyzed++;
      } catch {
        // a table dropped or the database closing: the next write schedules again
      }
    }
    if (this.#due().length > 0) this.#schedule();
  }

  /** Stops the timer and waits for an ANALYZE in progress (before the database closes). */
  async close() {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
