/**
 * The small SQL surface Switchboard's stores need, so one store class serves SQLite and
 * PostgreSQL. Statements are written with PostgreSQL placeholders (`$1`, `$2`, ...); the SQLite
 * implementation rewrites them once per distinct statement.
 *
 * Both implementations agree on what `sql-database.test.ts` checks: integers (BIGINT included)
 * come back as numbers (a BIGINT past 2^53 as a bigint on PostgreSQL), booleans and `null` bind
 * as parameters, and a backend that cannot be reached rejects with `BackendUnavailable` (the
 * driver's error as `cause`) while SQL errors such as a constraint violation pass through
 * unchanged. Store times as epoch milliseconds in BIGINT columns to read them the same on both.
 *
 * @example
 * ```ts
 * const rows = await db.query<{ data: string }>("SELECT data FROM sessions WHERE key = $1", [key]);
 * ```
 */
export interface SqlDatabase {
  readonly dialect: "sqlite" | "postgres";
  /** Runs a statement and returns its rows. */
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<Row[]>;
  /** Runs a statement and returns how many rows it changed. */
  execute(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Closes the file or pool. */
  close(): Promise<void>;
}
