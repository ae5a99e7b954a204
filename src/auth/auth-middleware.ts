import type { Session } from "../sessions/session.js";
import type {
  Application,
  HttpScope,
  Receive,
  Scope,
  Send,
  WebsocketScope,
} from "../types/asgi.js";
import type { AnyUser } from "../users/anonymous-user.js";
import type { SessionScope } from "../sessions/session-middleware.js";
import {
  AUTH_CONFIG,
  resolveAuthConfig,
  type AuthConfig,
  type AuthOptions,
} from "./auth-config.js";
import { userFromSession } from "./get-user.js";
import { sessionOf } from "./session-keys.js";

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
    // not async: the user's promise is the only one it needs to wait on
    function auth(scope, receive, send) {
      try {
        return withUser<S, object>(
          inner,
          scope,
          null,
          sessionOf(scope, "authMiddleware"),
          config,
          receive,
          send,
        );
      } catch (error) {
        return Promise.reject(error);
      }
    };
};

/**
 * Runs `inner` on a copy of `scope` with `fields`, the user and the auth configuration added: the
 * user an outer middleware already set, or the one `session` names. Shared with
 * `authMiddlewareStack`, whose `fields` are the cookies and the session, so the stack copies the
 * scope once instead of once per layer.
 */
export function withUser<S extends Scope, F extends object>(
  inner: Application<S & F & UserScope>,
  scope: S,
  fields: F | null,
  session: Session,
  config: AuthConfig,
  receive: Receive,
  send: Send,
): Promise<void> {
  const given = (scope as Partial<UserScope>).user;
  if (given !== undefined) return inner(configured(scope, fields, given, config), receive, send);
  return userFromSession(session, config).then((user) =>
    inner(configured(scope, fields, user, config), receive, send),
  );
}

// Object.assign, not a spread with more fields: see cookieMiddleware.
function configured<S extends Scope, F extends object>(
  scope: S,
  fields: F | null,
  user: AnyUser,
  config: AuthConfig,
): S & F & UserScope {
  return Object.assign({}, scope, fields, { user, [AUTH_CONFIG]: config }) as S & F & UserScope;
}
