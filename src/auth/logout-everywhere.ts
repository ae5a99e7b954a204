import { ImproperlyConfigured } from "../errors.js";
import { LIVE_SESSIONS, type LiveScope } from "../live/live-socket.js";
import type { UserStore } from "../users/user-store.js";
import { User } from "../users/user.js";
import type { LoginScope } from "./login.js";
import { logout } from "./logout.js";

/**
 * Logs the scope's user out of every session, everywhere: logs this connection out, bumps the
 * user's `sessionVersion` (part of the session auth hash, so every other session of theirs reads
 * as anonymous from now on, as after a password change) and closes their open WebSockets on
 * every process with 4001 (docs/live-sessions.md).
 *
 * @example
 * ```ts
 * override async post() {
 *   await logoutEverywhere(this.scope, users);
 *   await this.redirect("/login/");
 * }
 * ```
 */
export async function logoutEverywhere(scope: LoginScope, users: UserStore): Promise<void> {
  const user = scope.user;
  if (!(user instanceof User)) {
    throw new ImproperlyConfigured(
      "logoutEverywhere(scope, users) needs a logged-in scope.user; check scope.user.isAuthenticated first.",
    );
  }
  await logout(scope);
  const current = await users.getById(user.id);
  if (current !== null) {
    await users.update(user.id, { sessionVersion: current.sessionVersion + 1 });
  }
  await (scope as LiveScope)[LIVE_SESSIONS]?.revoke({
    user: String(user.id),
    code: 4001,
    reason: "logged out everywhere",
  });
}
