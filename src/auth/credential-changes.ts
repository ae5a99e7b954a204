import { ImproperlyConfigured } from "../errors.js";
import { getChannelLayer } from "../layers/registry.js";
import { LIVE_SESSION_CLOSE_CODES } from "../live/live-close-codes.js";
import { LIVE_SESSIONS, type LiveScope } from "../live/live-socket.js";
import { REVOKE_GROUP, type RevokeMessage } from "../live/revoke-message.js";
import { sessionKeyHash } from "../sessions/session-key-hash.js";
import type { Scope } from "../types/asgi.js";
import type { UserStore } from "../users/user-store.js";
import { User } from "../users/user.js";
import { authConfigOf } from "./auth-config.js";
import type { LoginScope } from "./login.js";
import { Passwords } from "./passwords.js";
import { sessionAuthHash } from "./session-auth-hash.js";
import { HASH_SESSION_KEY, sessionOf } from "./session-keys.js";

/** Options of {@link setPassword}. */
export interface SetPasswordOptions {
  /** The hashers your `ModelBackend` uses. Default: `new Passwords()`, as `ModelBackend`'s. */
  passwords?: Passwords;
  /**
   * Keeps the scope's own session logged in, as Django's `update_session_auth_hash`: for a user
   * changing their own password. The session gets the new session auth hash and is saved at once,
   * and its open WebSockets, on every process, stay open; the user's other sessions end as
   * without it. `scope.user` must be the logged-in user whose password changes. Default `false`.
   */
  keepCurrentSession?: boolean;
}

/**
 * Sets a user's password, as Django's `set_password` and `save`: hashes it with the preferred
 * hasher of `passwords`, stores it, and closes every open WebSocket of the user, on every
 * process, with 4002 `password changed` (docs/live-sessions.md). Every session made with the old
 * password reads as anonymous from then on, this connection's included unless
 * `keepCurrentSession` is set. Checking the password's strength is the caller's. Resolves the
 * updated user, or `null` when no user has this id.
 *
 * @example
 * ```ts
 * // a "change your password" page: this browser stays signed in, other devices are signed out
 * await setPassword(this.scope, users, this.scope.user, newPassword, {
 *   passwords,
 *   keepCurrentSession: true,
 * });
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
  // checked before anything changes: a wrong call must not log the caller out
  const kept = options.keepCurrentSession === true ? currentSession(scope, user) : null;
  const updated = await users.update(user.id, { passwordHash: await passwords.hash(password) });
  if (updated === null) return null;
  if (kept !== null) await kept.update(updated);
  await revokeUser(scope, user.id, "password changed", kept?.sessionHash);
  return updated;
}

/** The session `keepCurrentSession` keeps, and how to give it the user's new auth hash. */
interface KeptSession {
  sessionHash: string;
  update(user: User): Promise<void>;
}

function currentSession(scope: Scope, user: Pick<User, "id">): KeptSession {
  const caller = "setPassword(..., { keepCurrentSession: true })";
  const loginScope = scope as LoginScope;
  const session = sessionOf(loginScope, caller);
  const config = authConfigOf(loginScope, caller);
  const current = loginScope.user;
  const key = session.sessionKey;
  if (!(current instanceof User) || current.id !== user.id || key === null) {
    throw new ImproperlyConfigured(
      `${caller} keeps the caller's own session, so scope.user must be the logged-in user whose password changes (user ${user.id}); to set another user's password, leave keepCurrentSession off.`,
    );
  }
  return {
    sessionHash: sessionKeyHash(key),
    // Django's update_session_auth_hash, without its cycle_key: a new key would end the session
    // the open WebSockets were authenticated by (docs/channels-differences.md)
    async update(updated) {
      await session.set(HASH_SESSION_KEY, sessionAuthHash(updated, config.secretKey));
      await session.save();
      loginScope.user = current.with({ passwordHash: updated.passwordHash });
    },
  };
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
async function revokeUser(
  scope: Scope,
  id: number,
  reason: string,
  exceptSession?: string,
): Promise<void> {
  const message: RevokeMessage = {
    type: "auth.revoke",
    user: String(id),
    ...(exceptSession !== undefined && { exceptSession }),
    code: LIVE_SESSION_CLOSE_CODES.credentialsChanged,
    reason,
  };
  const live = (scope as LiveScope)[LIVE_SESSIONS];
  if (live !== undefined) await live.revoke(message);
  else await getChannelLayer()?.groupSend(REVOKE_GROUP, message);
}
