import { LIVE_SESSION_CLOSE_CODES } from "../live/live-close-codes.js";
import { userCommand } from "./user-command.js";

const USAGE =
  "Usage: switchboard deactivateuser USERNAME [--database URL] [--redis URL [--redis-prefix PREFIX]]";

/**
 * `switchboard deactivateuser USERNAME [--database URL]`: makes a user inactive, as the API's
 * `deactivateUser`: they can no longer log in and their sessions read as anonymous. Running
 * servers close the user's open WebSockets with 4002 at their next re-validation
 * (docs/live-sessions.md), or at once with `--redis URL` (and the layer's `--redis-prefix`,
 * default `asgi:`). Resolves the exit code.
 *
 * @example
 * ```sh
 * switchboard deactivateuser ada --redis redis://127.0.0.1:6379
 * ```
 */
export async function deactivateuser(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  return userCommand("deactivateuser", USAGE, args, log, async (users, user) => {
    await users.update(user.id, { isActive: false });
    return {
      done: `Deactivated "${user.username}".`,
      revoke: { code: LIVE_SESSION_CLOSE_CODES.credentialsChanged, reason: "account deactivated" },
    };
  });
}
