import { getChannelLayer } from "../layers/registry.js";
import { LIVE_SESSION_CLOSE_CODES } from "../live/live-close-codes.js";
import { LIVE_SESSIONS, type LiveScope } from "../live/live-socket.js";
import { REVOKE_GROUP, type RevokeMessage } from "../live/revoke-message.js";
import type { Scope } from "../types/asgi.js";
import type { UserStore } from "../users/user-store.js";
import type { User } from "../users/user.js";
import { Passwords } from "./passwords.js";

/** Options of {@link setPassword}. */
export interface SetPasswordOptions {
  /** The hashers your `ModelBackend` uses. Default: `new Passwords()`, as `ModelBackend`'s. */
  passwords?: Passwords;
}

/**
 * Sets a user's password, as Django's `set_password` and `save`: hashes it with the preferred
 * hasher of `passwords`, stores it, and closes every open WebSocket of the user, on every
 * process, with 4002 `password changed` (docs/live-sessions.md). Every session made with the old
 * password reads as anonymous from then on, this connection's included. Checking the password's
 * strength is the caller's. Resolves the updated user, or `null` when no user has this id.
 *
 * @example
 * ```ts
 * const ada = await users.getByUsername("ada");
 * if (ada !== null) await setPassword(this.scope, users, ada, newPassword, { passwords });
 * ```
 */
export async function setPassword(
  scope: Scope,
  users: UserStore,
  user: Pick<User, "id">,
  password: string,
  options: SetPasswordOptions = {},
): Promise<User | null> {
  const passwords = options.passwords ?? new Passwords();
  const updated = await users.update(user.id, { passwordHash: await passwords.hash(password) });
  if (updated !== null) await revokeUser(scope, user.id, "password changed");
  return updated;
}

/**
 * Makes a user inactive, as setting Django's `is_active = False`: they can no longer log in, their
 * sessions read as anonymous, and their open WebSockets close at once on every process with 4002
 * `account deactivated`. Resolves the updated user, or `null` when no user has this id.
 *
 * @example
 * ```ts
 * await deactivateUser(this.scope, users, { id: 42 });
 * ```
 */
export async function deactivateUser(
  scope: Scope,
  users: UserStore,
  user: Pick<User, "id">,
): Promise<User | null> {
  const updated = await users.update(user.id, { isActive: false });
  if (updated !== null) await revokeUser(scope, user.id, "account deactivated");
  return updated;
}

/**
 * Deletes a user from the store and closes their open WebSockets at once on every process with
 * 4002 `account deleted`; their sessions read as anonymous. Resolves `false` when no user has
 * this id.
 *
 * @example
 * ```ts
 * if (!(await deleteUser(this.scope, users, { id: 42 }))) await this.sendResponse(404, "");
 * ```
 */
export async function deleteUser(
  scope: Scope,
  users: UserStore,
  user: Pick<User, "id">,
): Promise<boolean> {
  const deleted = await users.delete(user.id);
  if (deleted) await revokeUser(scope, user.id, "account deleted");
  return deleted;
}

/**
 * On a scope `serve()` built, the server's registry closes this process's sockets and publishes;
 * elsewhere (a worker, a script) the message goes straight to the default layer, where the
 * servers listen. Without either, servers find out at their next re-validation.
 */
async function revokeUser(scope: Scope, id: number, reason: string): Promise<void> {
  const message: RevokeMessage = {
    type: "auth.revoke",
    user: String(id),
    code: LIVE_SESSION_CLOSE_CODES.credentialsChanged,
    reason,
  };
  const live = (scope as LiveScope)[LIVE_SESSIONS];
  if (live !== undefined) await live.revoke(message);
  else await getChannelLayer()?.groupSend(REVOKE_GROUP, message);
}
