// Type-level tests, checked by `tsc --noEmit`: a consumer typed for AuthScope can only be routed
// under authMiddlewareStack, and inside it `this.scope.user` is typed.
import { expectType } from "../../test/support/expect-type.js";
import { cookieMiddleware } from "../cookies/cookie-middleware.js";
import { WebsocketConsumer } from "../consumers/websocket-consumer.js";
import { protocolTypeRouter } from "../routing/protocol-type-router.js";
import { rePath } from "../routing/re-path.js";
import { urlRouter } from "../routing/url-router.js";
import { sessionMiddleware } from "../sessions/session-middleware.js";
import type { Session } from "../sessions/session.js";
import type { CsrfScope } from "../security/csrf-middleware.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import type { AnyUser } from "../users/anonymous-user.js";
import {
  authMiddlewareStack,
  type AuthMiddlewareStackOptions,
  type AuthScope,
} from "./auth-middleware-stack.js";
import { login } from "./login.js";

declare const options: AuthMiddlewareStackOptions;

class ChatConsumer extends WebsocketConsumer<WebsocketScope & AuthScope> {
  override async connect() {
    const user = this.scope.user;
    expectType<AnyUser>(user);
    expectType<Session>(this.scope.session);
    expectType<Record<string, string>>(this.scope.cookies);
    if (!user.isAuthenticated) return this.close();
    expectType<string>(user.username);
    expectType<Date | null>(user.lastLogin);
    // @ts-expect-error the anonymous user has no lastLogin until narrowed
    void this.scope.user.lastLogin;
    await login(this.scope, user);
    await this.accept();
  }
}

const routes = urlRouter([rePath(/^front(end)\/$/, ChatConsumer.asApp())]);

// Under the stack, the router is an ordinary WebSocket application.
expectType<Application<WebsocketScope>>(authMiddlewareStack(routes, options));
protocolTypeRouter({ websocket: authMiddlewareStack(routes, options) });

// @ts-expect-error without authMiddlewareStack nothing provides cookies, session and user
protocolTypeRouter({ websocket: routes });

// @ts-expect-error cookies and a session are not enough: nothing resolves scope.user
protocolTypeRouter({ websocket: cookieMiddleware()(sessionMiddleware(options)(routes)) });

// On HTTP the stack also provides the CSRF token, unless it is told `csrf: false`.
declare const page: Application<HttpScope & AuthScope & CsrfScope>;
expectType<Application<HttpScope>>(authMiddlewareStack(page, options));
expectType<Application<HttpScope>>(
  authMiddlewareStack(page, { ...options, csrf: { exempt: ["/hook/"] } }),
);
const tokenFree: Application<HttpScope & AuthScope> = async (scope) => {
  // @ts-expect-error a scope typed without CsrfScope has no token
  void scope.csrfToken;
};
expectType<Application<HttpScope>>(authMiddlewareStack(tokenFree, { ...options, csrf: false }));
// @ts-expect-error with the check off nothing provides the token: a page reading it cannot be served
protocolTypeRouter({ http: authMiddlewareStack(page, { ...options, csrf: false }) });
protocolTypeRouter({ http: authMiddlewareStack(page, options) });
expectType<Application<WebsocketScope>>(authMiddlewareStack(routes, { ...options, csrf: {} }));
authMiddlewareStack<HttpScope>(async (scope) => {
  expectType<string>(scope.csrfToken);
}, options);
// One application for both protocols serves both.
declare const either: Application<(HttpScope | WebsocketScope) & AuthScope>;
const stacked = authMiddlewareStack(either, options);
protocolTypeRouter({ http: stacked, websocket: stacked });
