import { redactDatabaseUrl } from "../stores/open-database.js";
import { SqlSessionStore } from "../stores/sql-session-store.js";
import { parseCommandArgs } from "./command-args.js";
import { withUsers } from "./with-users.js";

const USAGE = "Usage: switchboard migrate [--database URL]";

/**
 * `switchboard migrate [--database URL]`: creates the user and session tables, leaving existing
 * ones as they are, and stores the hash of any session key an earlier version stored raw, so it
 * is safe to run on every deploy. Resolves the exit code.
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
  const parsed = parseCommandArgs(args, {}, USAGE);
  if (typeof parsed === "number") return parsed;
  if (parsed.positionals.length > 0) {
    console.error(`migrate takes no arguments besides --database.\n${USAGE}`);
    return 2;
  }
  return withUsers(args, async (users, db, url) => {
    await users.migrate();
    await new SqlSessionStore(db).migrate();
    log(`Migrated users and sessions in ${redactDatabaseUrl(url)}.`);
    return 0;
  });
}
