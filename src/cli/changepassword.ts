import { Passwords } from "../auth/passwords.js";
import { readNewPassword } from "./read-new-password.js";
import { userCommand } from "./user-command.js";

const USAGE =
  "Usage: switchboard changepassword USERNAME [--database URL] [--redis URL [--redis-prefix PREFIX]]";

/**
 * `switchboard changepassword USERNAME [--database URL]`: sets a user's password, prompted twice
 * without echo on a terminal or read from the first line of stdin, and checked against the password
 * rules (docs/auth.md#password-rules). Every session made with the old password reads as anonymous
 * from then on, and running servers close the user's open WebSockets at their next re-validation (docs/live-sessions.md), or at once with `--redis URL` (and the
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
  return userCommand("changepassword", USAGE, args, log, async (users, user) => {
    const password = await readNewPassword(
      user.username,
      `New password for ${user.username}: `,
      "New password (again): ",
    );
    if (password === null) return 1;
    await users.update(user.id, { passwordHash: await new Passwords().hash(password) });
    return {
      done: `Changed the password of "${user.username}".`,
      revoke: { reason: "password changed" },
    };
  });
}
