import type { Session } from "../sessions/session.js";
import { anonymousUser, type AnyUser } from "../users/anonymous-user.js";
import type { SessionScope } from "../sessions/session-middleware.js";
import { authConfigOf, type AuthConfig, type ConfiguredScope } from "./auth-config.js";
import { sessionAuthHashIs, sessionAuthHashMatches } from "./session-auth-hash.js";
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, sessionOf } from "./session-keys.js";

/**
 * The user a session names, or the anonymous user: when nobody logged in, the backend is no
 * longer configured, the user is gone or inactive, or the password changed since login (then the
 * session is flushed too, as Django does). A hash made with one of `secretKeyFallbacks` is
 * accepted and replaced by one made with `secretKey`.
 *
 * @example
 * ```ts
 * const user = await userFromSession(scope.session, config);
 * ```
 */
export async function userFromSession(session: Session, config: AuthConfig): Promise<AnyUser> {
  const id = await session.get(SESSION_KEY);
  const backendName = await session.get(BACKEND_SESSION_KEY);
  if (typeof id !== "string" || typeof backendName !== "string") return anonymousUser;
  const backend = config.backends.get(backendName);
  if (backend === undefined) return anonymousUser;
  const user = await backend.getUser(id);
  if (user === null) return anonymousUser;
  const stored = await session.get(HASH_SESSION_KEY);
  if (!sessionAuthHashIs(stored, config.sessionAuthHash(user))) {
    const fallback = config.secretKeyFallbacks.some((key) =>
      sessionAuthHashMatches(stored, user, key),
    );
    if (!fallback) {
      await session.flush();
      return anonymousUser;
    }
    await session.set(HASH_SESSION_KEY, config.sessionAuthHash(user));
  }
  return user.withBackend(backendName);
}

/**
 * Channels' `get_user(scope)`: reads the user from the scope's session again, e.g. after another
 * connection changed it. `scope.user` already holds what `authMiddleware` resolved.
 *
 * @example
 * ```ts
 * const user = await getUser(this.scope);
 * ```
 */
export async function getUser(scope: Partial<SessionScope> & ConfiguredScope): Promise<AnyUser> {
  return userFromSession(sessionOf(scope, "getUser()"), authConfigOf(scope, "getUser()"));
}
