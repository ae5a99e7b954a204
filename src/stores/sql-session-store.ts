import { checkTableName } from "./table-name.js";
import { sessionKeyHash } from "../sessions/session-key-hash.js";
import type { SessionRecord, SessionStore } from "./session-store.js";
import type { SqlDatabase } from "./sql-database.js";
import { withMigrationHint } from "./migration-hint.js";

/**
 * Options for {@link SqlSessionStore}.
 *
 * @example
 * ```ts
 * const store = new SqlSessionStore(db, { table: "myapp_sessions" });
 * ```
 */
export interface SqlSessionStoreOptions {
  /** Table name, a plain identifier. Default `switchboard_sessions`. */
  table?: string;
}

interface Row {
  session_data: string;
  expires_at: number;
}

/**
 * {@link SessionStore} in a SQL table, on any {@link SqlDatabase}: `SqliteDatabase` or
 * `PostgresDatabase`. Expiry is epoch milliseconds in a BIGINT column, indexed so
 * `clearExpired()` (the `switchboard clearsessions` command) stays cheap. Rows are keyed by
 * `sessionKeyHash(key)`, never the key. Call `migrate()` once at startup; it is idempotent.
 *
 * @example
 * ```ts
 * const store = new SqlSessionStore(await openDatabase("./switchboard.sqlite3"));
 * await store.migrate();
 * const app = cookieMiddleware()(sessionMiddleware({ store })(inner));
 * ```
 */
export class SqlSessionStore implements SessionStore {
  readonly #db: SqlDatabase;
  readonly #sql: Record<"load" | "create" | "update" | "delete" | "exists" | "clear", string>;
  readonly #table: string;

  constructor(db: SqlDatabase, options: SqlSessionStoreOptions = {}) {
    const table = checkTableName(options.table ?? "switchboard_sessions", "SqlSessionStore");
    this.#db = withMigrationHint(db, table);
    this.#table = table;
    this.#sql = {
      load: `SELECT session_data, expires_at FROM ${table} WHERE session_key = $1 AND expires_at > $2`,
      // An upsert that only overwrites an expired row: a collision with a live session changes
      // 0 rows instead of raising, on both dialects (SQLite 3.24+, PostgreSQL 9.5+).
      create:
        `INSERT INTO ${table} (session_key, session_data, expires_at) VALUES ($1, $2, $3) ` +
        "ON CONFLICT (session_key) DO UPDATE SET session_data = excluded.session_data, " +
        `expires_at = excluded.expires_at WHERE ${table}.expires_at <= $4`,
      update:
        `UPDATE ${table} SET session_data = $2, expires_at = $3 ` +
        "WHERE session_key = $1 AND expires_at > $4",
      delete: `DELETE FROM ${table} WHERE session_key = $1`,
      exists: `SELECT 1 AS found FROM ${table} WHERE session_key = $1 AND expires_at > $2`,
      clear: `DELETE FROM ${table} WHERE expires_at <= $1`,
    };
  }

  /**
   * Creates the table and its expiry index if they are missing, and replaces the raw keys of rows
   * written before keys were hashed by their hashes, so those sessions stay valid.
   */
  async migrate(): Promise<void> {
    await this.#db.execute(
      `CREATE TABLE IF NOT EXISTS ${this.#table} (` +
        "session_key VARCHAR(64) PRIMARY KEY, session_data TEXT NOT NULL, expires_at BIGINT NOT NULL)",
    );
    await this.#db.execute(
      `CREATE INDEX IF NOT EXISTS ${this.#table}_expires_at ON ${this.#table} (expires_at)`,
    );
    await this.#hashStoredKeys();
  }

  /**
   * Hashes in JavaScript (SQLite has no SHA-256), a batch of rows per statement: each statement
   * is atomic on both dialects, so a row holds either its key or its hash, and a run that stops
   * half way, or two processes migrating at once, leave nothing for the next run but less work.
   */
  async #hashStoredKeys(): Promise<void> {
    // a hash is 64 hex characters; a key written before keys were hashed is 32
    const unhashed = `SELECT session_key FROM ${this.#table} WHERE length(session_key) <> 64 LIMIT 500`;
    for (;;) {
      const rows = await this.#db.query<{ session_key: string }>(unhashed, []);
      if (rows.length === 0) return;
      const params = rows.flatMap((row) => [row.session_key, sessionKeyHash(row.session_key)]);
      const cases = rows.map((_, i) => `WHEN $${2 * i + 1} THEN $${2 * i + 2}`).join(" ");
      const keys = rows.map((_, i) => `$${2 * i + 1}`).join(", ");
      await this.#db.execute(
        `UPDATE ${this.#table} SET session_key = CASE session_key ${cases} END ` +
          `WHERE session_key IN (${keys})`,
        params,
      );
    }
  }

  async load(key: string): Promise<SessionRecord | null> {
    const [row] = await this.#db.query<Row>(this.#sql.load, [sessionKeyHash(key), Date.now()]);
    return row ? { data: row.session_data, expiresAt: new Date(Number(row.expires_at)) } : null;
  }

  async save(key: string, data: string, expiresAt: Date, mustCreate: boolean): Promise<boolean> {
    const sql = mustCreate ? this.#sql.create : this.#sql.update;
    const params = [sessionKeyHash(key), data, expiresAt.getTime(), Date.now()];
    return (await this.#db.execute(sql, params)) === 1;
  }

  async delete(key: string): Promise<void> {
    await this.#db.execute(this.#sql.delete, [sessionKeyHash(key)]);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#db.query(this.#sql.exists, [sessionKeyHash(key), Date.now()])).length > 0;
  }

  async clearExpired(): Promise<number> {
    return this.#db.execute(this.#sql.clear, [Date.now()]);
  }
}
