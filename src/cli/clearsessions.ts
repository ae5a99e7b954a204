import { parseArgs } from "node:util";
import { openDatabase, redactDatabaseUrl, resolveDatabaseUrl } from "../stores/open-database.js";
import { SqlSessionStore } from "../stores/sql-session-store.js";

/**
 * `switchboard clearsessions [--database URL] [--table NAME]`: deletes expired sessions from the
 * SQL session table, like Django's command of the same name. Run it from cron; Redis sessions
 * expire on their own. Resolves the exit code.
 *
 * @example
 * ```sh
 * switchboard clearsessions --database postgres://app@db/app
 * ```
 */
export async function clearsessions(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { database: { type: "string" }, table: { type: "string" } },
  });
  const url = resolveDatabaseUrl(args);
  const db = await openDatabase(url);
  try {
    const removed = await new SqlSessionStore(db, { table: values.table }).clearExpired();
    log(
      `Removed ${removed} expired session${removed === 1 ? "" : "s"} from ${redactDatabaseUrl(url)}.`,
    );
    return 0;
  } finally {
    await db.close();
  }
}
