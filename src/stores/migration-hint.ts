import { ImproperlyConfigured } from "../errors.js";
import type { SqlDatabase } from "./sql-database.js";

/** SQLite says "no such table"; PostgreSQL's SQLSTATE 42P01 is "undefined table". */
export function isMissingTable(error: unknown): boolean {
  return (
    (error as { code?: unknown } | undefined)?.code === "42P01" ||
    /no such table/i.test((error as Error | undefined)?.message ?? "")
  );
}

/**
 * `db` as a store keeping `table` uses it: a missing table means `migrate()` never ran, so the
 * error says that (an `ImproperlyConfigured` with the driver's error as `cause`) instead of the
 * driver's bare message, which a server would log on every request.
 */
export function withMigrationHint(db: SqlDatabase, table: string): SqlDatabase {
  const explain = (error: unknown): never => {
    if (!isMissingTable(error)) throw error;
    throw new ImproperlyConfigured(
      `The table ${table} does not exist: run \`switchboard migrate\` (or await the store's ` +
        "migrate()) once before using the store.",
      { cause: error },
    );
  };
  return {
    dialect: db.dialect,
    query: <Row extends object>(sql: string, params?: readonly unknown[]) =>
      db.query<Row>(sql, params).catch(explain),
    execute: (sql, params) => db.execute(sql, params).catch(explain),
    close: () => db.close(),
  };
}
