import { existsSync, rmSync } from "node:fs";
import { BackendUnavailable, ImproperlyConfigured } from "../errors.js";
import {
  openDatabase,
  redactDatabaseUrl,
  resolveDatabaseUrl,
  sqlitePath,
} from "../stores/open-database.js";
import type { SqlDatabase } from "../stores/sql-database.js";
import { isMissingTable } from "../stores/migration-hint.js";
import { SqlUserStore } from "../users/sql-user-store.js";

/**
 * Opens the database a CLI command names (`--database URL`, else `SWITCHBOARD_DB`, else
 * `./switchboard.sqlite3`), runs `use` with its user store, and always closes it. A database
 * without the tables, or one that cannot be reached, throws {@link ImproperlyConfigured} saying
 * what to do; a SQLite file this call created is removed again when `use` fails, so a mistake
 * leaves no empty database behind.
 *
 * @example
 * ```ts
 * await withUsers(args, (users) => users.getByUsername("ada"));
 * ```
 */
export async function withUsers<T>(
  args: readonly string[],
  use: (users: SqlUserStore, db: SqlDatabase, url: string) => Promise<T>,
): Promise<T> {
  const url = resolveDatabaseUrl(args);
  const file = sqlitePath(url);
  const created = file !== null && file !== ":memory:" && !existsSync(file) ? file : null;
  // A failure is reported as the command's one message; PostgreSQL's outage line would repeat it.
  const db = await openDatabase(url, {}, { logger: () => {} });
  try {
    return await use(new SqlUserStore(db), db, url);
  } catch (error) {
    if (created !== null) {
      await db.close();
      for (const suffix of ["", "-wal", "-shm", "-journal"])
        rmSync(created + suffix, { force: true });
    }
    throw explain(error, redactDatabaseUrl(url));
  } finally {
    await db.close();
  }
}

/** The error to report for `error` from the database `url`: what to do, when the CLI knows. */
function explain(error: unknown, url: string): unknown {
  if (isMissingTable(error) || isMissingTable((error as Error).cause)) {
    return new ImproperlyConfigured(
      `The database ${url} has no Switchboard tables: run \`switchboard migrate\` first (with the same --database or SWITCHBOARD_DB).`,
      { cause: error },
    );
  }
  if (error instanceof BackendUnavailable) {
    const reason = error.cause instanceof Error ? error.cause.message : error.message;
    return new ImproperlyConfigured(
      `Cannot reach the database ${url} (${reason}): start it, or check --database and SWITCHBOARD_DB.`,
      { cause: error },
    );
  }
  return error;
}
