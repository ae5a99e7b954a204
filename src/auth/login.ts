import { LIVE_SOCKET, type LiveScope } from "../live/live-socket.js";
import { trackLiveSession } from "./track-live-session.js";
import { ImproperlyConfigured } from "../errors.js";
import { ROTATE_CSRF_TOKEN } from "../security/csrf-middleware.js";
import type { CsrfScope } from "../security/csrf-middleware.js";
import type { AnyUser } from "../users/anonymous-user.js";
import { User } from "../users/user.js";
import type { SessionScope } from "../sessions/session-middleware.js";
import { authConfigOf, type AuthConfig, type ConfiguredScope } from "./auth-config.js";
import type { AuthBackend } from "./auth-backend.js";
import { sessionAuthHash, sessionAuthHashMatches } from "./session-auth-hash.js";
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, sessionOf } from "./session-keys.js";

/**
 * A scope `login` and `logout` can work on: it has a session, and gets a `user`. Scopes typed
 * with `AuthScope` are such scopes.
 *
 * @example
 * ```ts
 * async function signIn(scope: LoginScope, user: User) { await login(scope, user); }
 * ```
 */
export type LoginScope = Partial<SessionScope> & ConfiguredScope & { user?: AnyUser };

function backendFor(config: AuthConfig, user: User, name: string | undefined): AuthBackend {
  const chosen =
    name ??
    user.backend ??
    (config.backends.size === 1 ? [...config.backends.keys()][0] : undefined);
  if (chosen === undefined) {
    throw new ImproperlyConfigured(
      'login() cannot tell which backend authenticated this user: pass a user from authenticate(), or name the backend: login(scope, user, "model").',
    );
  }
  const backend = config.backends.get(chosen);
  if (backend === undefined) {
    throw new ImproperlyConfigured(
      `login() was given backend "${chosen}", which authMiddleware is not configured with (${[...config.backends.keys()].join(", ")}).`,
    );
  }
  return backend;
}

/**
 * Logs `user` in on this connection's session, as Channels' `login`: a session that belonged to
 * another user (or to this user before a password change) is flushed, otherwise its key is cycled
 * so a key planted before login is worthless; then the user id, backend and session auth hash are
 * stored, `scope.user` is set, the backend records the login (`lastLogin`) and the configured
 * `signals.userLoggedIn` is sent. Without a user (`login(scope)`, `login(scope, null)`) it logs in
 * `scope.user`, as Channels' `login(scope, None)` does.
 *
 * Nothing is persisted until `scope.session.save()`; over a WebSocket the browser keeps its old
 * cookie until an HTTP response sets the new key.
 *
 * @example
 * ```ts
 * const user = await authenticate({ username, password }, backends);
 * if (user) {
 *   await login(this.scope, user);
 *   await this.scope.session.save();
 * }
 * ```
 */
export async function login(
  scope: LoginScope,
  user?: User | null,
  backend?: string,
): Promise<void> {
  const session = sessionOf(scope, "login()");
  const config = authConfigOf(scope, "login()");
  if (user === undefined || user === null) {
    if (!(scope.user instanceof User)) {
      throw new ImproperlyConfigured(
        `login(scope) was given no user and scope.user is ${scope.user === undefined ? "missing" : "not a User (the anonymous user?)"}: pass the user to log in, e.g. login(scope, await authenticate(credentials, scope)).`,
      );
    }
    user = scope.user;
  }
  if (!(user instanceof User)) {
    throw new ImproperlyConfigured(
      `login(scope, user) needs a User, e.g. from authenticate() or users.getById(); got ${user === null ? "null" : typeof user === "object" ? "an anonymous or foreign user" : typeof user}.`,
    );
  }
  const chosen = backendFor(config, user, backend);
  const hash = sessionAuthHash(user, config.secretKey);
  const storedId = await session.get(SESSION_KEY);
  // this socket's old session ends below; the socket itself goes on, tracked under the new one
  const socket = (scope as LiveScope)[LIVE_SOCKET];
  socket?.optOut();
  const sameUser =
    storedId === String(user.id) &&
    sessionAuthHashMatches(await session.get(HASH_SESSION_KEY), user, config.secretKey);
  if (storedId !== undefined && !sameUser) await session.flush();
  else await session.cycleKey();
  await session.set(SESSION_KEY, String(user.id));
  await session.set(BACKEND_SESSION_KEY, chosen.name);
  await session.set(HASH_SESSION_KEY, hash);
  // as Django's login() does: a CSRF token seen before authentication is worthless after it
  (scope as Partial<CsrfScope>)[ROTATE_CSRF_TOKEN]?.();
  const when = new Date();
  await chosen.recordLogin?.(user, when);
  const loggedIn = user.with({ lastLogin: when }).withBackend(chosen.name);
  scope.user = loggedIn;
  if (socket !== undefined) trackLiveSession(scope as LiveScope, session, loggedIn, config);
  await config.signals.userLoggedIn.send({ user: loggedIn, scope });
}
