import Database from "better-sqlite3";
import type { Statement } from "better-sqlite3";
import { BackendUnavailable } from "../errors.js";
import type { SqlDatabase } from "./sql-database.js";

/**
 * Options for {@link SqliteDatabase}.
 *
 * @example
 * ```ts
 * const db = new SqliteDatabase("./app.sqlite3", { busyTimeoutMs: 10_000 });
 * ```
 */
export interface SqliteDatabaseOptions {
  /** How long a statement waits for another connection's write lock before failing. Default 5000. */
  busyTimeoutMs?: number;
  /** How many distinct prepared statements to keep. Default 256. */
  statementCacheSize?: number;
  /**
   * Share one read transaction among the reads this instance makes in one turn of the event
   * loop, so SQLite takes its file locks once for them (an authenticated connection reads its
   * session and its user in one turn) instead of once per query. A write through this instance
   * ends the transaction first, so its reads see its own writes. The caveat: until the turn ends,
   * its reads do not see what other connections to the file wrote meanwhile (another
   * `SqliteDatabase`, another process). Ignored for `":memory:"`. Default `false`.
   */
  readTransactionPerTurn?: boolean;
}

interface Prepared {
  statement: Statement<unknown[], unknown>;
  /** For each `?` in the rewritten SQL, the index of the caller's parameter it takes. */
  order: number[] | null;
  /** When it was last used, on the cache's clock: eviction drops the least recent. */
  used: number;
  /** Whether it only reads and returns rows (a SELECT): such reads share the turn's transaction. */
  readsOnly: boolean;
}

// SQLite result codes that mean the file cannot be used right now, rather than a wrong statement.
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CANTOPEN|FULL|READONLY|NOMEM|CORRUPT|NOTADB)/;

/**
 * {@link SqlDatabase} over an embedded SQLite file (better-sqlite3), the default store.
 * The file is opened in WAL mode so readers do not block the writer, with a busy timeout so
 * several processes can share it. `$1`-style placeholders are rewritten once per distinct
 * statement and the prepared statement is cached. Statements run synchronously on the event
 * loop (better-sqlite3's design): that suits the small indexed reads and writes stores issue,
 * and costs less than a round trip to a server.
 *
 * With `readTransactionPerTurn`, the reads of one turn of the event loop share one transaction
 * (see {@link SqliteDatabaseOptions}).
 *
 * @example
 * ```ts
 * const db = new SqliteDatabase("./switchboard.sqlite3", { readTransactionPerTurn: true });
 * await db.execute("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT)");
 * await db.execute("INSERT INTO notes (text) VALUES ($1)", ["hi"]);
 * const rows = await db.query<{ text: string }>("SELECT text FROM notes WHERE id = $1", [1]);
 * await db.close();
 * ```
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = "sqlite";
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Prepared>();
  readonly #cacheSize: number;
  #clock = 0;
  readonly #shareReads: boolean;
  /** Whether this instance holds the turn's read transaction. */
  #reading = false;

  /** @param filename a file path, or `":memory:"` for a private in-memory database. */
  constructor(filename: string, options: SqliteDatabaseOptions = {}) {
    this.#cacheSize = options.statementCacheSize ?? 256;
    try {
      this.#db = new Database(filename, { timeout: options.busyTimeoutMs ?? 5000 });
      this.#db.pragma("journal_mode = WAL");
      // an in-memory database takes no file locks: nothing to share
      this.#shareReads = (options.readTransactionPerTurn ?? false) && !this.#db.memory;
    } catch (error) {
      throw new BackendUnavailable(
        `Cannot open the SQLite database ${JSON.stringify(filename)}: ${(error as Error).message}. ` +
          "Check that the directory exists and is writable.",
        { cause: error },
      );
    }
  }

  async query<Row extends object = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<Row[]> {
    try {
      const [statement, args] = this.#bind(sql, params, true);
      if (statement.reader) return statement.all(...args) as Row[];
      statement.run(...args);
      return [];
    } catch (error) {
      throw classify(error, sql);
    }
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    try {
      const [statement, args] = this.#bind(sql, params, false);
      return statement.run(...args).changes;
    } catch (error) {
      throw classify(error, sql);
    }
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    this.#endReading();
    this.#statements.clear();
    this.#db.close();
  }

  /**
   * The prepared statement and its arguments; a query that only reads joins the turn's read
   * transaction, anything else ends it first.
   */
  #bind(
    sql: string,
    params: readonly unknown[],
    isQuery: boolean,
  ): [Statement<unknown[], unknown>, unknown[]] {
    const { statement, order, readsOnly } = this.#prepare(sql);
    const args =
      order === null ? params.map(toSqlite) : order.map((index) => toSqlite(params[index]));
    if (isQuery && readsOnly) this.#beginReading();
    else this.#endReading();
    return [statement, args];
  }

  /**
   * Opens the turn's read transaction, unless one is open (ours, or the caller's own BEGIN run
   * through execute()). Ended by the next write or, at the latest, once this turn's I/O callbacks
   * and promise reactions are done: held no longer, a reader never keeps a checkpoint waiting.
   */
  #beginReading(): void {
    if (!this.#shareReads || this.#db.inTransaction) return;
    this.#prepare("BEGIN").statement.run();
    this.#reading = true;
    setImmediate(() => this.#endReading());
  }

  /** Ends the turn's read transaction, if this instance holds one. */
  #endReading(): void {
    if (!this.#reading) return;
    this.#reading = false;
    if (!this.#db.inTransaction) return;
    try {
      this.#prepare("COMMIT").statement.run();
    } catch {
      // a transaction that only read has nothing to lose; this may run from setImmediate, where
      // a throw would end the process
      rollBack(this.#db);
    }
  }

  #prepare(sql: string): Prepared {
    const cached = this.#statements.get(sql);
    if (cached) {
      cached.used = ++this.#clock;
      return cached;
    }
    const { text, order } = rewritePlaceholders(sql);
    const statement = this.#db.prepare(text);
    // BEGIN and COMMIT are read-only too, but return no rows
    const readsOnly = statement.reader && statement.readonly;
    const prepared: Prepared = { statement, order, used: ++this.#clock, readsOnly };
    if (this.#statements.size >= this.#cacheSize) this.#evictLeastRecent();
    this.#statements.set(sql, prepared);
    return prepared;
  }

  /** Only when the cache is full and a new statement arrives, so a scan is cheap enough. */
  #evictLeastRecent(): void {
    let oldest: string | null = null;
    let oldestUse = Infinity;
    for (const [sql, { used }] of this.#statements) {
      if (used < oldestUse) {
        oldest = sql;
        oldestUse = used;
      }
    }
    if (oldest !== null) this.#statements.delete(oldest);
  }
}

function rollBack(db: Database.Database): void {
  try {
    db.prepare("ROLLBACK").run();
  } catch {
    // the connection is unusable; its next statement reports why
  }
}

/**
 * Turns PostgreSQL placeholders into SQLite's anonymous `?`, outside quotes and comments, and
 * records which parameter each `?` takes, so `$1` may appear twice or out of order.
 */
function rewritePlaceholders(sql: string): { text: string; order: number[] | null } {
  const order: number[] = [];
  let text = "";
  let i = 0;
  while (i < sql.length) {
    const char = sql[i];
    if (char === "'" || char === '"') {
      const end = closingQuote(sql, i);
      text += sql.slice(i, end);
      i = end;
    } else if (char === "-" && sql[i + 1] === "-") {
      const end = sql.indexOf("\n", i);
      const stop = end === -1 ? sql.length : end;
      text += sql.slice(i, stop);
      i = stop;
    } else if (char === "$" && /[1-9]/.test(sql[i + 1] ?? "")) {
      let j = i + 1;
      while (j < sql.length && /[0-9]/.test(sql[j] ?? "")) j++;
      order.push(Number(sql.slice(i + 1, j)) - 1);
      text += "?";
      i = j;
    } else {
      text += char;
      i++;
    }
  }
  return { text, order: order.length === 0 ? null : order };
}

function closingQuote(sql: string, start: number): number {
  const quote = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      // A doubled quote is an escaped quote inside the literal.
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}

function toSqlite(value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value === undefined) return null;
  return value;
}

function classify(error: unknown, sql: string): unknown {
  const code = (error as { code?: unknown }).code;
  const closed = error instanceof TypeError && /not open/.test(error.message);
  if (closed || (typeof code === "string" && UNAVAILABLE_CODES.test(code))) {
    return new BackendUnavailable(
      `SQLite could not run ${JSON.stringify(sql.slice(0, 80))}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return error;
}
