import { parseCookies, type CookieScope } from "../cookies/cookie-middleware.js";
import {
  bindSessions,
  type SessionMiddlewareOptions,
  type SessionScope,
} from "../sessions/session-middleware.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { resolveAuthConfig, type AuthOptions } from "./auth-config.js";
import { withUser, type UserScope } from "./auth-middleware.js";

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
): Application<S> {
  const { backends, secretKey, secretKeyFallbacks, signals, ...sessionOptions } = options;
  const sessions = bindSessions(sessionOptions);
  const config = resolveAuthConfig({ backends, secretKey, secretKeyFallbacks, signals });
  // The three middlewares' work, with one scope copy instead of three: what each layer adds is
  // only read by the layers inside it, so nothing can tell the difference.
  return function authStack(scope, receive, send) {
    try {
      const cookies = parseCookies(scope.headers);
      const session = sessions.open(cookies);
      const out = scope.type === "http" ? sessions.httpSend(send, session, cookies) : send;
      return withUser(inner, scope, { cookies, session }, session, config, receive, out);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}
