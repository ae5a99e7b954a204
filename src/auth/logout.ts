import { anonymousUser } from "../users/anonymous-user.js";
import type { LoginScope } from "./login.js";
import { sessionOf } from "./session-keys.js";

/**
 * Logs the connection out, as Channels' `logout`: flushes the session (deleting it from the
 * store, so the cookie the browser holds is worthless) and sets `scope.user` to the anonymous user.
 *
 * @example
 * ```ts
 * await logout(this.scope);
 * ```
 */
export async function logout(scope: LoginScope): Promise<void> {
  await sessionOf(scope, "logout()").flush();
  scope.user = anonymousUser;
}
