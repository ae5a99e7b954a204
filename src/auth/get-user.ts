import type { Session } from "../sessions/session.js";
import { anonymousUser, type AnyUser } from "../users/anonymous-user.js";
import type { User } from "../users/user.js";
import type { SessionScope } from "../sessions/session-middleware.js";
import { authConfigOf, type AuthConfig, type ConfiguredScope } from "./auth-config.js";
import { sessionAuthHash, sessionAuthHashMatches } from "./session-auth-hash.js";
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
export function userFromSession(session: Session, config: AuthConfig): Promise<AnyUser> {
  // Not async, nor the steps below: every authenticated connection runs them, and each frame
  // would wait beside the store's promise it adds nothing to.
  return session.load().then(() => userOfLoadedSession(session, config));
}

function userOfLoadedSession(session: Session, config: AuthConfig): AnyUser | Promise<AnyUser> {
  const id = session.getLoaded(SESSION_KEY);
  const backendName = session.getLoaded(BACKEND_SESSION_KEY);
  if (typeof id !== "string" || typeof backendName !== "string") return anonymousUser;
  const backend = config.backends.get(backendName);
  if (backend === undefined) return anonymousUser;
  // Promise.resolve: a custom backend may answer with any thenable, as `await` would accept
  return Promise.resolve(backend.getUser(id)).then((user) =>
    user === null ? anonymousUser : checkedUser(session, config, user, backendName),
  );
}

/** `user`, marked with its backend, if the session's auth hash still matches its password. */
function checkedUser(
  session: Session,
  config: AuthConfig,
  user: User,
  backendName: string,
): AnyUser | Promise<AnyUser> {
  const stored = session.getLoaded(HASH_SESSION_KEY);
  if (sessionAuthHashMatches(stored, user, config.secretKey)) return user.withBackend(backendName);
  const fallback = config.secretKeyFallbacks.some((key) =>
    sessionAuthHashMatches(stored, user, key),
  );
  if (!fallback) return session.flush().then(() => anonymousUser);
  return session
    .set(HASH_SESSION_KEY, sessionAuthHash(user, config.secretKey))
    .then(() => user.withBackend(backendName));
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
export function getUser(scope: Partial<SessionScope> & ConfiguredScope): Promise<AnyUser> {
  return userFromSession(sessionOf(scope, "getUser()"), authConfigOf(scope, "getUser()"));
}
