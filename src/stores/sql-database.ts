/**
 * The small SQL surface Switchboard's stores need, so one store class serves SQLite and
 * PostgreSQL. Statements are written with PostgreSQL placeholders (`$1`, `$2`, ...); the SQLite
 * implementation rewrites them once per distinct statement.
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
