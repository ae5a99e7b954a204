import { cookieMiddleware, type CookieScope } from "../cookies/cookie-middleware.js";
import {
  sessionMiddleware,
  type SessionMiddlewareOptions,
  type SessionScope,
} from "../sessions/session-middleware.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import type { AuthOptions } from "./auth-config.js";
import { authMiddleware, type UserScope } from "./auth-middleware.js";

/**
 * What an application under {@link authMiddlewareStack} finds on its scope. Type a consumer with
 * it and it can only be routed under the stack.
 *
 * @example
 * ```ts
 * class ChatConsumer extends WebsocketConsumer<WebsocketScope & AuthScope> {
 *   override async connect() {
 *     if (this.scope.user.isAuthenticated) await this.accept();
 *   }
 * }
 * ```
 */
export type AuthScope = CookieScope & SessionScope & UserScope;

type Connection = HttpScope | WebsocketScope;

/** Options for {@link authMiddlewareStack}: the session middleware's and the auth middleware's. */
export type AuthMiddlewareStackOptions = SessionMiddlewareOptions & AuthOptions;

/**
 * Channels' `AuthMiddlewareStack`: `cookieMiddleware` → `sessionMiddleware` → `authMiddleware`
 * around `inner`, so it finds `scope.cookies`, `scope.session` and `scope.user`.
 *
 * @example
 * ```ts
 * export const application = protocolTypeRouter({
 *   websocket: authMiddlewareStack(urlRouter([rePath(/^front(end)\/$/, ChatConsumer.asApp())]), {
 *     store: new SqlSessionStore(db),
 *     backends: [new ModelBackend({ users })],
 *     secretKey: process.env.SECRET_KEY!,
 *   }),
 * });
 * ```
 */
export function authMiddlewareStack<S extends HttpScope | WebsocketScope>(
  inner: Application<S & AuthScope>,
  options: AuthMiddlewareStackOptions,
): Application<S>;
// Composed on the scope types themselves: TypeScript cannot check `S & CookieScope` against the
// middlewares' `(HttpScope | WebsocketScope) & CookieScope` while S is a type parameter.
export function authMiddlewareStack(
  inner: Application<Connection & AuthScope>,
  options: AuthMiddlewareStackOptions,
): Application<Connection> {
  const { backends, secretKey, secretKeyFallbacks, signals, ...sessionOptions } = options;
  return cookieMiddleware()<Connection>(
    sessionMiddleware(sessionOptions)<Connection & CookieScope>(
      authMiddleware({ backends, secretKey, secretKeyFallbacks, signals })<
        Connection & CookieScope & SessionScope
      >(inner),
    ),
  );
}
