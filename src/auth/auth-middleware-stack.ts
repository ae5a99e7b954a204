import { cookieMiddleware, type CookieScope } from "../cookies/cookie-middleware.js";
import {
  sessionMiddleware,
  type SessionMiddlewareOptions,
  type SessionScope,
} from "../sessions/session-middleware.js";
import { csrfMiddleware, type CsrfOptions, type CsrfScope } from "../security/csrf-middleware.js";
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

/** Options for {@link authMiddlewareStack}: the session middleware's, the auth middleware's, the origin check's and the CSRF check's. */
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
    /**
     * The CSRF check on HTTP requests (`csrfMiddleware`'s options), on by default. Exempt routes
     * by path with `exempt: ["/hooks/payment/", /^\/api\//]`. `false` turns it off for every
     * route and leaves `scope.csrfToken` unset: discouraged, since any site can then post forms
     * to this one with the user's session cookie. The types drop `scope.csrfToken` when the call
     * says `csrf: false` literally; a `false` held in a variable typed with these options is not
     * seen by them.
     */
    csrf?: CsrfOptions | false;
  };

/**
 * Channels' `AuthMiddlewareStack`: `cookieMiddleware` → `sessionMiddleware` → `authMiddleware`
 * around `inner`, so it finds `scope.cookies`, `scope.session` and `scope.user`.
 *
 * Unlike Channels, it is safe for browsers by default on both protocols:
 *
 * - **WebSocket**: a browser sends the session cookie with a socket any page opens, so a
 *   handshake whose `Origin` is not the host it was sent to is refused with HTTP 403
 *   (cross-site WebSocket hijacking). Name other origins with `allowedOrigins`, or opt out with
 *   `allowedOrigins: "*"`.
 * - **HTTP**: `csrfMiddleware` runs right after the cookies are read, before the session is
 *   loaded or `inner` runs: a POST, PUT, PATCH or DELETE without the token (form field
 *   `csrfmiddlewaretoken` or header `X-CSRFToken`, matching the `csrftoken` cookie) or from
 *   another origin is answered 403. Pages find the token on `scope.csrfToken`, and `login()`
 *   rotates it. Exempt a route with `csrf: { exempt: ["/path/"] }`; `csrf: false` turns the
 *   check off (discouraged).
 *
 * @example
 * ```ts
 * export const application = protocolTypeRouter({
 *   http: authMiddlewareStack(urlRouter([path("login/", loginPage)]), {
 *     ...auth,
 *     csrf: { exempt: ["/hooks/payment/"] },
 *   }),
 *   websocket: authMiddlewareStack(urlRouter([rePath(/^front(end)\/$/, ChatConsumer.asApp())]), {
 *     store: new SqlSessionStore(db),
 *     backends: [new ModelBackend({ users })],
 *     secretKey: process.env.SWITCHBOARD_SECRET_KEY!,
 *   }),
 * });
 * ```
 */
export function authMiddlewareStack<S extends Connection>(
  inner: Application<S & AuthScope>,
  options: AuthMiddlewareStackOptions & { csrf: false },
): Application<S>;
// One application for both protocols: the token is there on HTTP, but its type does not say so.
export function authMiddlewareStack(
  inner: Application<Connection & AuthScope>,
  options: AuthMiddlewareStackOptions,
): Application<Connection>;
export function authMiddlewareStack<S extends HttpScope>(
  inner: Application<S & AuthScope & CsrfScope>,
  options: AuthMiddlewareStackOptions,
): Application<S>;
export function authMiddlewareStack<S extends WebsocketScope>(
  inner: Application<S & AuthScope>,
  options: AuthMiddlewareStackOptions,
): Application<S>;
// Composed on the scope types themselves: TypeScript cannot check `S & CookieScope` against the
// middlewares' `(HttpScope | WebsocketScope) & CookieScope` while S is a type parameter. The
// overloads say when `scope.csrfToken` is there: on HTTP, unless `csrf: false`.
export function authMiddlewareStack(
  inner: Application<Connection & AuthScope>,
  options: AuthMiddlewareStackOptions,
): Application<Connection> {
  const {
    backends,
    secretKey,
    secretKeyFallbacks,
    signals,
    allowedOrigins,
    tickets,
    csrf,
    ...session
  } = options;
  const authed = authMiddleware({ backends, secretKey, secretKeyFallbacks, signals })<
    Connection & CookieScope & SessionScope
  >(inner);
  const { store, maxAge } = session;
  const sessions = sessionMiddleware(session)<Connection & CookieScope>(
    tickets === undefined ? authed : ticketAuthMiddleware({ tickets, store, maxAge })(authed),
  );
  // The check runs before the session is loaded: a forged request costs no store lookup, and
  // refusing it cannot depend on whether the inner application reads the body.
  const http = cookieMiddleware()<HttpScope>(
    csrf === false ? sessions : csrfMiddleware(csrf)<HttpScope & CookieScope>(sessions),
  );
  const websocket = cookieMiddleware()<WebsocketScope>(sessions);
  const handshake =
    allowedOrigins === "*"
      ? websocket
      : allowedOrigins === undefined
        ? sameOriginValidator(websocket, { allowMissingOrigin: true })
        : originValidator(websocket, allowedOrigins, { allowMissingOrigin: true });
  return async function authStack(scope, receive, send) {
    return scope.type === "websocket"
      ? handshake(scope, receive, send)
      : http(scope, receive, send);
  };
}
