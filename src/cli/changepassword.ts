import { Passwords } from "../auth/passwords.js";
import { readPassword } from "./read-password.js";
import { parseCommandArgs } from "./command-args.js";
import { publishRevocation } from "./publish-revocation.js";
import { withUsers } from "./with-users.js";

const USAGE =
  "Usage: switchboard changepassword USERNAME [--database URL] [--redis URL [--redis-prefix PREFIX]]";

/**
 * `switchboard changepassword USERNAME [--database URL]`: sets a user's password, prompted twice
 * without echo on a terminal or read from the first line of stdin. Every session made with the old
 * password reads as anonymous from then on, and running servers close the user's open WebSockets
 * at their next re-validation (docs/live-sessions.md), or at once with `--redis URL` (and the
 * layer's `--redis-prefix`, default `asgi:`): an `auth.revoke` through their Redis channel layer.
 * Resolves the exit code.
 *
 * @example
 * ```sh
 * switchboard changepassword ada
 * ```
 */
export async function changepassword(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  const parsed = parseCommandArgs(
    args,
    { redis: { type: "string" }, "redis-prefix": { type: "string" } },
    USAGE,
  );
  if (typeof parsed === "number") return parsed;
  const [username, ...extra] = parsed.positionals;
  if (username === undefined || extra.length > 0) {
    console.error(`changepassword takes one USERNAME.\n${USAGE}`);
    return 2;
  }
  return withUsers(args, async (users) => {
    const user = await users.getByUsername(username);
    if (user === null) {
      console.error(`There is no user "${username}" (usernames are case-sensitive).`);
      return 1;
    }
    const password = await readPassword(`New password for ${username}: `);
    if (password === "") {
      console.error("The password is empty; nothing changed.");
      return 1;
    }
    if (process.stdin.isTTY && (await readPassword("New password (again): ")) !== password) {
      console.error("The passwords do not match; nothing changed.");
      return 1;
    }
    await users.update(user.id, { passwordHash: await new Passwords().hash(password) });
    log(`Changed the password of "${username}".`);
    const redis = parsed.string("redis");
    if (redis !== undefined) {
      const prefix = parsed.string("redis-prefix") ?? "asgi:";
      await publishRevocation(redis, prefix, { user: String(user.id), reason: "password changed" });
      log(`Asked the running servers to close the open connections of "${username}".`);
    }
    return 0;
  });
}
