import { parseArgs } from "node:util";
import { redactDatabaseUrl } from "../stores/open-database.js";
import { SqlSessionStore } from "../stores/sql-session-store.js";
import { withUsers } from "./with-users.js";

/**
 * `switchboard migrate [--database URL]`: creates the user and session tables, leaving existing
 * ones as they are, so it is safe to run on every deploy. Resolves the exit code.
 *
 * @example
 * ```sh
 * switchboard migrate --database postgres://app@db/app
 * ```
 */
export async function migrate(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  parseArgs({ args: [...args], options: { database: { type: "string" } } });
  return withUsers(args, async (users, db, url) => {
    await users.migrate();
    await new SqlSessionStore(db).migrate();
    log(`Migrated users and sessions in ${redactDatabaseUrl(url)}.`);
    return 0;
  });
}
