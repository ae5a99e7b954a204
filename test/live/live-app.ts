/**
 * An application for live-session tests (POST with {@link postHeaders}): `POST /logout/` logs out, `/logout-everywhere/` ends
 * all the user's sessions, `/admin/password/<id>/` sets user <id>'s password to "new" (keeping
 * the caller's session with the query string `keep`),
 * `/admin/deactivate/<id>/` and `/admin/delete/<id>/` do what they say, `/ws/` and `/free/` (opted
 * out) accept authenticated sockets and record the code their consumer's `disconnect` saw.
 */
import { deactivateUser, deleteUser, setPassword } from "../../src/auth/credential-changes.js";
import { AUTH_CONFIG, resolveAuthConfig } from "../../src/auth/auth-config.js";
import { authMiddlewareStack, type AuthScope } from "../../src/auth/auth-middleware-stack.js";
import { login } from "../../src/auth/login.js";
import { logout } from "../../src/auth/logout.js";
import { logoutEverywhere } from "../../src/auth/logout-everywhere.js";
import { ModelBackend } from "../../src/auth/model-backend.js";
import { Passwords } from "../../src/auth/passwords.js";
import { ScryptHasher } from "../../src/auth/scrypt-hasher.js";
import { WebsocketConsumer, type WebsocketFrame } from "../../src/consumers/websocket-consumer.js";
import { withoutLiveSession } from "../../src/live/without-live-session.js";
import { path, protocolTypeRouter, urlRouter } from "../../src/routing/index.js";
import { Session } from "../../src/sessions/session.js";
import { sessionKeyHash } from "../../src/sessions/session-key-hash.js";
import type { SessionStore } from "../../src/stores/session-store.js";
import type { Application, HttpScope, WebsocketScope } from "../../src/types/asgi.js";
import type { UserStore } from "../../src/users/user-store.js";
import type { User } from "../../src/users/user.js";
import type { WebSocket } from "ws";

export const SECRET = "live-sessions-test-secret-0123456789abcdef";
export const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });

const CSRF_TOKEN = "l".repeat(32);

/**
 * Headers of a POST to the HTTP routes, which sit behind the stack's CSRF check: the token as
 * cookie and header, and the session `sessionKey` names if given.
 */
export function postHeaders(sessionKey?: string): Record<string, string> {
  const session = sessionKey === undefined ? "" : `sessionid=${sessionKey}; `;
  return { cookie: `${session}csrftoken=${CSRF_TOKEN}`, "x-csrftoken": CSRF_TOKEN };
}

/** Every `disconnect(code)` the consumers saw, in order. */
export const disconnects: number[] = [];

class Recorder extends WebsocketConsumer<WebsocketScope & AuthScope> {
  override async connect() {
    if (!this.scope.user.isAuthenticated) return this.close();
    await this.accept();
  }
  /** `logout`, or `login`: logs in again and answers the new session's hash. */
  override async receive({ text }: WebsocketFrame) {
    if (text === "logout") {
      await logout(this.scope);
      await this.send({ text: "logged out" });
    } else if (text === "login" && this.scope.user.isAuthenticated) {
      await login(this.scope, this.scope.user);
      await this.scope.session.save();
      await this.send({ text: sessionKeyHash(this.scope.session.sessionKey ?? "") });
    }
  }
  override disconnect(code: number) {
    disconnects.push(code);
  }
}

const ADMIN = /^\/admin\/(password|deactivate|delete)\/([0-9]+)\/$/;

async function admin(scope: HttpScope, users: UserStore): Promise<void> {
  const [, action, id] = ADMIN.exec(scope.path) ?? [];
  const user = { id: Number(id) };
  if (action === "password") {
    const keepCurrentSession = scope.queryString === "keep";
    await setPassword(scope, users, user, "new", { passwords, keepCurrentSession });
  }
  if (action === "deactivate") await deactivateUser(scope, users, user);
  if (action === "delete") await deleteUser(scope, users, user);
}

export function liveApp(users: UserStore, store: SessionStore): Application {
  const options = { store, backends: [new ModelBackend({ users, passwords })], secretKey: SECRET };
  const http = authMiddlewareStack<HttpScope>(async (scope, receive, send) => {
    await receive();
    if (scope.path === "/logout/") await logout(scope);
    if (scope.path === "/logout-everywhere/") await logoutEverywhere(scope, users);
    await admin(scope, users);
    await send({ type: "http.response.start", status: 200, headers: [] });
    await send({ type: "http.response.body", body: new Uint8Array() });
  }, options);
  const websocket = authMiddlewareStack(
    urlRouter([path("ws/", Recorder.asApp()), path("free/", withoutLiveSession(Recorder.asApp()))]),
    options,
  );
  return protocolTypeRouter({ http, websocket });
}

/** A saved session in which `user` logged in; resolves its key, for a `sessionid` cookie. */
export async function loggedIn(
  store: SessionStore,
  users: UserStore,
  user: User,
  expirySeconds?: number,
): Promise<string> {
  const session = new Session(store);
  if (expirySeconds !== undefined) await session.setExpiry(expirySeconds);
  const config = resolveAuthConfig({
    backends: [new ModelBackend({ users, passwords })],
    secretKey: SECRET,
  });
  await login({ session, [AUTH_CONFIG]: config }, user.withBackend("model"));
  await session.save();
  return session.sessionKey ?? "";
}

/**
 * Whether `ws` is still open: answers a ping, where a socket the server closed before the ping
 * came has sent its close frame and answers nothing more.
 */
export function stillOpen(ws: WebSocket): Promise<boolean> {
  if (ws.readyState !== ws.OPEN) return Promise.resolve(false);
  return new Promise((resolve) => {
    ws.once("pong", () => resolve(true));
    ws.once("close", () => resolve(false));
    ws.ping();
  });
}

/** A user with the password "pw". */
export async function createUser(users: UserStore, username: string): Promise<User> {
  return users.create({ username, passwordHash: await passwords.hash("pw") });
}
