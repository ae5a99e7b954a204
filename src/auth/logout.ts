import { LIVE_SOCKET, type LiveScope } from "../live/live-socket.js";
import { anonymousUser } from "../users/anonymous-user.js";
import { User } from "../users/user.js";
import { AUTH_CONFIG } from "./auth-config.js";
import type { LoginScope } from "./login.js";
import { sessionOf } from "./session-keys.js";

/**
 * Logs the connection out, as Channels' `logout`: sends the configured `signals.userLoggedOut`
 * (with the user, or `null` when nobody was logged in), flushes the session (deleting it from the
 * store, so the cookie the browser holds is worthless) and sets `scope.user` to the anonymous
 * user, if the scope has a `user` at all. The server closes the session's other WebSockets, on
 * every process (docs/live-sessions.md); a consumer's own socket stays open, anonymous.
 *
 * @example
 * ```ts
 * await logout(this.scope);
 * ```
 */
export async function logout(scope: LoginScope): Promise<void> {
  const session = sessionOf(scope, "logout()");
  const user = scope.user instanceof User ? scope.user : null;
  await scope[AUTH_CONFIG]?.signals.userLoggedOut.send({ user, scope });
  // the flush closes the session's other sockets; this one goes on, anonymous, as in Channels
  (scope as LiveScope)[LIVE_SOCKET]?.optOut();
  await session.flush();
  if ("user" in scope) scope.user = anonymousUser;
}
