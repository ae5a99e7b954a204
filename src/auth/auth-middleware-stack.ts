import { cookieMiddleware, type CookieScope } from "../cookies/cookie-middleware.js";
import {
  sessionMiddleware,
  type SessionMiddlewareOptions,
  type SessionScope,
} from "../sessions/session-middleware.js";
import { originValidator, sameOriginValidator } from "../security/origin-validator.js";
import type { TicketStore } from "../stores/ticket-store.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import type { AuthOptions } from "./auth-config.js";
import { authMiddleware, type UserScope } from "./auth-middleware.js";
import { ticketAuthMiddleware } from "./ticket-auth-middleware.js";

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

/** Options for {@link authMiddlewareStack}: the session middleware's, the auth middleware's and the origin check's. */
export type AuthMiddlewareStackOptions = SessionMiddlewareOptions &
  AuthOptions & {
    /**
     * Origins a WebSocket handshake may come from, as `originValidator` matches them; `"*"` turns
     * the check off. Default: the request's own host (`sameOriginValidator`). Either way a
     * handshake without an `Origin` (not a browser) passes and must still bring credentials.
     */
    allowedOrigins?: readonly string[] | "*";
    /**
     * Where `wsTicketApp` mints connection tickets: given, a WebSocket may present one instead of
     * the cookie (`ticketAuthMiddleware` runs between the session and the user).
     */
    tickets?: TicketStore;
  };

/**
 * Channels' `AuthMiddlewareStack`: `cookieMiddleware` → `sessionMiddleware` → `authMiddleware`
 * around `inner`, so it finds `scope.cookies`, `scope.session` and `scope.user`.
 *
 * Unlike Channels, it checks `Origin` on WebSocket handshakes by default: a browser sends the
 * session cookie with a socket any page opens, so a handshake whose `Origin` is not the host it
 * was sent to is refused with HTTP 403 (cross-site WebSocket hijacking). Name other origins with
 * `allowedOrigins`, or opt out with `allowedOrigins: "*"`.
 *
 * @example
 * ```ts
 * export const application = protocolTypeRouter({
 *   websocket: authMiddlewareStack(urlRouter([rePath(/^front(end)\/$/, ChatConsumer.asApp())]), {
 *     store: new SqlSessionStore(db),
 *     backends: [new ModelBackend({ users })],
 *     secretKey: process.env.SWITCHBOARD_SECRET_KEY!,
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
  const { backends, secretKey, secretKeyFallbacks, signals, allowedOrigins, tickets, ...session } =
    options;
  const authed = authMiddleware({ backends, secretKey, secretKeyFallbacks, signals })<
    Connection & CookieScope & SessionScope
  >(inner);
  const { store, maxAge } = session;
  const stack = cookieMiddleware()<Connection>(
    sessionMiddleware(session)<Connection & CookieScope>(
      tickets === undefined ? authed : ticketAuthMiddleware({ tickets, store, maxAge })(authed),
    ),
  );
  if (allowedOrigins === "*") return stack;
  const checked =
    allowedOrigins === undefined
      ? sameOriginValidator<WebsocketScope>(stack, { allowMissingOrigin: true })
      : originValidator<WebsocketScope>(stack, allowedOrigins, { allowMissingOrigin: true });
  return async function authStack(scope, receive, send) {
    return scope.type === "websocket" ? checked(scope, receive, send) : stack(scope, receive, send);
  };
}
