import type { RevokeMessage } from "../live/revoke-message.js";
import type { SqlUserStore } from "../users/sql-user-store.js";
import type { User } from "../users/user.js";
import { parseCommandArgs } from "./command-args.js";
import { publishRevocation } from "./publish-revocation.js";
import { withUsers } from "./with-users.js";

/** What a {@link userCommand}'s change did: a line to print and the `auth.revoke` it warrants. */
export interface UserChangeDone {
  done: string;
  revoke: Omit<RevokeMessage, "type" | "user">;
}

/**
 * The shape of `changepassword` and `deactivateuser`: one USERNAME, `--database URL`, and
 * `--redis URL [--redis-prefix PREFIX]` to send the servers' Redis layer one `auth.revoke` for the
 * user after `change` (which resolves an exit code instead when it changed nothing). Resolves the
 * exit code.
 *
 * @example
 * ```ts
 * return userCommand("deactivateuser", USAGE, args, log, async (users, user) => {
 *   await users.update(user.id, { isActive: false });
 *   return { done: `Deactivated "${user.username}".`, revoke: { reason: "account deactivated" } };
 * });
 * ```
 */
export async function userCommand(
  name: string,
  usage: string,
  args: readonly string[],
  log: (line: string) => void,
  change: (users: SqlUserStore, user: User) => Promise<UserChangeDone | number>,
): Promise<number> {
  const options = { redis: { type: "string" }, "redis-prefix": { type: "string" } } as const;
  const parsed = parseCommandArgs(args, options, usage);
  if (typeof parsed === "number") return parsed;
  const [username, ...extra] = parsed.positionals;
  if (username === undefined || extra.length > 0) {
    console.error(`${name} takes one USERNAME.\n${usage}`);
    return 2;
  }
  return withUsers(args, async (users) => {
    const user = await users.getByUsername(username);
    if (user === null) {
      console.error(`There is no user "${username}" (usernames are case-sensitive).`);
      return 1;
    }
    const result = await change(users, user);
    if (typeof result === "number") return result;
    log(result.done);
    const redis = parsed.string("redis");
    if (redis !== undefined) {
      const prefix = parsed.string("redis-prefix") ?? "asgi:";
      await publishRevocation(redis, prefix, { user: String(user.id), ...result.revoke });
      log(`Asked the running servers to close the open connections of "${username}".`);
    }
    return 0;
  });
}
