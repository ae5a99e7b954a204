import { redactDatabaseUrl } from "../stores/open-database.js";
import { SqlSessionStore } from "../stores/sql-session-store.js";
import { parseCommandArgs } from "./command-args.js";
import { withUsers } from "./with-users.js";

const USAGE = "Usage: switchboard clearsessions [--database URL] [--table NAME]";

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
  const parsed = parseCommandArgs(args, { table: { type: "string" } }, USAGE);
  if (typeof parsed === "number") return parsed;
  if (parsed.positionals.length > 0) {
    console.error(`clearsessions takes no arguments besides its options.\n${USAGE}`);
    return 2;
  }
  return withUsers(args, async (_users, db, url) => {
    const store = new SqlSessionStore(db, { table: parsed.string("table") });
    const removed = await store.clearExpired();
    log(
      `Removed ${removed} expired session${removed === 1 ? "" : "s"} from ${redactDatabaseUrl(url)}.`,
    );
    return 0;
  });
}
