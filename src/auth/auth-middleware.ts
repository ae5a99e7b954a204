import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import type { LiveScope } from "../live/live-socket.js";
import type { AnyUser } from "../users/anonymous-user.js";
import type { SessionScope } from "../sessions/session-middleware.js";
import {
  AUTH_CONFIG,
  resolveAuthConfig,
  type AuthOptions,
  type ConfiguredScope,
} from "./auth-config.js";
import { userFromSession } from "./get-user.js";
import { sessionOf } from "./session-keys.js";
import { trackLiveSession } from "./track-live-session.js";

/**
 * What {@link authMiddleware} (and `tokenAuthMiddleware`) add to the scope.
 *
 * @example
 * ```ts
 * const app: Application<WebsocketScope & UserScope> = async (scope) => {
 *   console.log(scope.user.isAuthenticated);
 * };
 * ```
 */
export interface UserScope {
  /** Resolved once per connection; `login` and `logout` replace it. */
  user: AnyUser;
}

/**
 * Channels' `AuthMiddleware`: puts the session's user on `scope.user` before the inner
 * application runs, resolved once per connection (the anonymous user when nobody is logged in, or
 * when the password changed since login: then the session is flushed). A `user` an outer
 * middleware already set (e.g. `tokenAuthMiddleware`) is kept. Needs `scope.session`: use
 * {@link authMiddlewareStack} unless you compose the session middleware yourself.
 *
 * @example
 * ```ts
 * const app = cookieMiddleware()(
 *   sessionMiddleware({ store })(authMiddleware({ backends, secretKey })(router)),
 * );
 * ```
 */
export const authMiddleware = (options: AuthOptions) => {
  const config = resolveAuthConfig(options);
  return <S extends (HttpScope | WebsocketScope) & SessionScope>(
    inner: Application<S & UserScope>,
  ): Application<S> =>
    async function auth(scope, receive, send) {
      const session = sessionOf(scope, "authMiddleware");
      const given = (scope as Partial<UserScope>).user;
      const user: AnyUser = given !== undefined ? given : await userFromSession(session, config);
      if (given === undefined && user.isAuthenticated) {
        trackLiveSession(scope as LiveScope, session, user, config);
      }
      const fields: UserScope & ConfiguredScope = { user, [AUTH_CONFIG]: config };
      return inner(Object.assign({}, scope, fields), receive, send);
    };
};
