/**
 * An application for the ticket and hand-off tests, served over real sockets: log in over HTTP
 * (`POST /login/` with `user:password`) or over a socket (`/ws/login/`, which answers the
 * hand-off token), mint tickets (`/ws-ticket/`), exchange hand-offs (`/session/handoff/`), and
 * ask who you are (`GET /whoami/`, socket `/ws/whoami/`: send a frame, read the answer).
 */
import assert from "node:assert/strict";
import { authenticate } from "../../src/auth/authenticate.js";
import { authMiddlewareStack, type AuthScope } from "../../src/auth/auth-middleware-stack.js";
import { login } from "../../src/auth/login.js";
import { ModelBackend } from "../../src/auth/model-backend.js";
import { Passwords } from "../../src/auth/passwords.js";
import { ScryptHasher } from "../../src/auth/scrypt-hasher.js";
import { sessionHandoffApp } from "../../src/auth/session-handoff-app.js";
import { sessionHandoff } from "../../src/auth/session-handoff.js";
import { wsTicketApp } from "../../src/auth/ws-ticket-app.js";
import { path, protocolTypeRouter, urlRouter } from "../../src/routing/index.js";
import type { CsrfOptions } from "../../src/security/csrf-middleware.js";
import type { SessionStore } from "../../src/stores/session-store.js";
import { SqliteDatabase } from "../../src/stores/sqlite-database.js";
import type { TicketStore } from "../../src/stores/ticket-store.js";
import type { Application, HttpScope, WebsocketScope } from "../../src/types/asgi.js";
import { SqlUserStore } from "../../src/users/sql-user-store.js";

export const PASSWORD = "correct horse";
/** The secret key of {@link ticketApp}'s auth stack, for apps that share its sessions. */
export const SECRET_KEY = "ticket-apps-secret-0123456789abcdefghij";

/** Users shared by every app made from it: "ada" with {@link PASSWORD}. */
export async function openUsers() {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
  await users.migrate();
  await users.create({ username: "ada", passwordHash: await passwords.hash(PASSWORD) });
  return { backends: [new ModelBackend({ users, passwords })], close: () => db.close() };
}

/** A client logged in over HTTP: the cookies to send, and the token for `X-CSRFToken`. */
export interface HttpLogin {
  cookie: string;
  csrfToken: string;
  sessionKey: string;
}

function setCookie(response: Response, name: string): string {
  const line = response.headers.getSetCookie().find((value) => value.startsWith(`${name}=`));
  return (line ?? "").split(";")[0]?.slice(name.length + 1) ?? "";
}

/**
 * Logs "ada" in through `POST /login/` as a script does under the stack's CSRF check: a `GET`
 * first for the `csrftoken` cookie, then the POST with the token in `X-CSRFToken`.
 */
export async function loginOverHttp(base: string): Promise<HttpLogin> {
  const issued = setCookie(await fetch(`${base}/whoami/`), "csrftoken");
  const response = await fetch(`${base}/login/`, {
    method: "POST",
    headers: { cookie: `csrftoken=${issued}`, "x-csrftoken": issued },
    body: `ada:${PASSWORD}`,
  });
  assert.equal(response.status, 200);
  const sessionKey = setCookie(response, "sessionid");
  const csrfToken = setCookie(response, "csrftoken"); // login() rotated it
  return { cookie: `sessionid=${sessionKey}; csrftoken=${csrfToken}`, csrfToken, sessionKey };
}

type Backends = Awaited<ReturnType<typeof openUsers>>["backends"];

async function credentials(text: string, scope: AuthScope & (HttpScope | WebsocketScope)) {
  const [username, password] = text.split(":");
  return authenticate({ username, password }, scope);
}

export function ticketApp(
  store: SessionStore,
  tickets: TicketStore,
  backends: Backends,
  csrf: CsrfOptions | false = {},
) {
  const auth = { store, backends, secretKey: SECRET_KEY, tickets, csrf };

  const loginView: Application<HttpScope & AuthScope> = async (scope, receive, send) => {
    const event = await receive();
    const text = event.type === "http.request" ? Buffer.from(event.body).toString() : "";
    const user = await credentials(text, scope);
    if (user) await login(scope, user);
    await send({ type: "http.response.start", status: user ? 200 : 403 });
    await send({ type: "http.response.body", body: Buffer.alloc(0) });
  };
  const whoami: Application<HttpScope & AuthScope> = async (scope, _receive, send) => {
    await send({ type: "http.response.start", status: 200 });
    await send({ type: "http.response.body", body: Buffer.from(scope.user.username) });
  };
  const socketWhoami: Application<WebsocketScope & AuthScope> = async (scope, receive, send) => {
    await receive();
    if (!scope.user.isAuthenticated) return send({ type: "websocket.close" });
    await send({ type: "websocket.accept" });
    await receive(); // answers the client's first frame, so the client is listening by then
    await send({ type: "websocket.send", text: scope.user.username });
    await receive();
  };
  // Logs in with the first frame and answers the hand-off token (or "refused").
  const socketLogin: Application<WebsocketScope & AuthScope> = async (scope, receive, send) => {
    await receive();
    await send({ type: "websocket.accept" });
    const event = await receive();
    const user =
      event.type === "websocket.receive" ? await credentials(event.text ?? "", scope) : null;
    if (user === null) return send({ type: "websocket.send", text: "refused" });
    await login(scope, user);
    const text = await sessionHandoff(scope, tickets, { ttlSeconds: 0.3 });
    await send({ type: "websocket.send", text });
    await receive();
  };

  return protocolTypeRouter({
    http: urlRouter<HttpScope>([
      path("session/handoff/", sessionHandoffApp({ tickets, store, csrf })),
      path(
        "",
        authMiddlewareStack(
          urlRouter([
            path("login/", loginView),
            path("whoami/", whoami),
            path("ws-ticket/", wsTicketApp({ tickets, ttlSeconds: 0.3 })),
          ]),
          auth,
        ),
        { nested: true },
      ),
    ]),
    websocket: authMiddlewareStack(
      urlRouter([path("ws/whoami/", socketWhoami), path("ws/login/", socketLogin)]),
      auth,
    ),
  });
}
