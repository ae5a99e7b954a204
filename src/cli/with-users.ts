import { openDatabase, resolveDatabaseUrl } from "../stores/open-database.js";
import type { SqlDatabase } from "../stores/sql-database.js";
import { SqlUserStore } from "../users/sql-user-store.js";

/**
 * Opens the database a CLI command names (`--database URL`, else `SWITCHBOARD_DB`, else
 * `./switchboard.sqlite3`), runs `use` with its user store, and always closes it.
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
  const db = await openDatabase(url);
  try {
    return await use(new SqlUserStore(db), db, url);
  } finally {
    await db.close();
  }
}
