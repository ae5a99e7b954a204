// Type-level tests, checked by `tsc --noEmit`: what cookieMiddleware and sessionMiddleware put on
// the scope, and that sessionMiddleware cannot run outside cookieMiddleware.
import { expectType } from "../../test/support/expect-type.js";
import { cookieMiddleware } from "../cookies/cookie-middleware.js";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { sessionMiddleware } from "./session-middleware.js";
import type { JsonValue, Session } from "./session.js";

const store = new InMemorySessionStore();

// Inside the stack the scope is typed without annotations, for HTTP and WebSocket alike.
expectType<Application<HttpScope>>(
  cookieMiddleware()(
    sessionMiddleware({ store })(async (scope) => {
      expectType<Session>(scope.session);
      expectType<Record<string, string>>(scope.cookies);
      expectType<number | undefined>(await scope.session.get<number>("visits"));
      expectType<JsonValue | undefined>(await scope.session.get("anything"));
      // @ts-expect-error session values are JSON: a Date does not survive the store
      await scope.session.set("at", new Date());
      // @ts-expect-error the key is read-only: only cycleKey() and flush() change it
      scope.session.sessionKey = "chosen-by-the-client";
    }),
  ),
);
expectType<Application<WebsocketScope>>(
  cookieMiddleware()(sessionMiddleware({ store })(async () => {})),
);

// @ts-expect-error without cookieMiddleware nothing provides scope.cookies
expectType<Application<HttpScope>>(sessionMiddleware({ store })(async () => {}));
