import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { HttpCommunicator } from "../testing/http-communicator.js";
import { WebsocketCommunicator } from "../testing/websocket-communicator.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import { authMiddlewareStack, type AuthScope } from "./auth-middleware-stack.js";
import { createToken } from "./auth-token.js";
import { authenticate } from "./authenticate.js";
import { login } from "./login.js";
import { ModelBackend } from "./model-backend.js";
import { Passwords } from "./passwords.js";
import { ScryptHasher } from "./scrypt-hasher.js";
import { tokenAuthMiddleware } from "./token-auth-middleware.js";

const SECRET = "stack-secret-0123456789abcdefghijklmnop";
const TOKEN_SECRET = "stack-token-secret-0123456789abcdefghij";
const CSRF_TOKEN = "c".repeat(32);
/** What a page's script sends with a POST: the CSRF cookie and the same token in the header. */
const CSRF = { cookie: `csrftoken=${CSRF_TOKEN}`, "x-csrftoken": CSRF_TOKEN };

describe("authMiddlewareStack", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
  const backends = [new ModelBackend({ users, passwords })];
  const options = { store: new InMemorySessionStore(), backends, secretKey: SECRET };

  /** POST "username:password" to log in; the session middleware sets the cookie. */
  const loginView: Application<HttpScope & AuthScope> = async (scope, receive, send) => {
    const event = await receive();
    const [username, password] = Buffer.from(event.type === "http.request" ? event.body : [])
      .toString()
      .split(":");
    const user = await authenticate({ username, password }, backends);
    if (user) await login(scope, user);
    await send({ type: "http.response.start", status: user ? 200 : 403 });
    await send({ type: "http.response.body", body: Buffer.from(scope.user.username) });
  };
  const whoAmI: Application<WebsocketScope & AuthScope> = async (scope, receive, send) => {
    await receive();
    await send({ type: "websocket.accept" });
    await send({ type: "websocket.send", text: scope.user.username || "(anonymous)" });
    await receive();
  };
  const http = authMiddlewareStack(loginView, options);
  const websocket = authMiddlewareStack(whoAmI, options);

  before(async () => {
    await users.migrate();
    await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
  });
  after(() => db.close());

  /** Logs in over HTTP and resolves the `sessionid=...` pair the response set. */
  async function loginCookie(username: string, password: string): Promise<string> {
    const response = await new HttpCommunicator(
      http,
      "POST",
      "/login/",
      `${username}:${password}`,
      CSRF,
    ).getResponse();
    assert.equal(response.status, 200);
    const cookies = response.headers.filter(([name]) => name === "set-cookie");
    const cookie = cookies.find(([, value]) => value.startsWith("sessionid="))?.[1] ?? "";
    assert.match(cookie, /^sessionid=[a-z0-9]{32};/);
    return cookie.split(";")[0] ?? "";
  }

  async function whoConnects(
    cookie?: string,
    app = websocket,
    path = "/",
  ): Promise<string | Uint8Array> {
    const communicator = new WebsocketCommunicator(app, path, {
      headers: cookie === undefined ? {} : { cookie },
    });
    await communicator.connect();
    const name = await communicator.receiveFrom();
    await communicator.disconnect();
    return name;
  }

  it("gives cookies, a session and the anonymous user to a client without a cookie", async () => {
    assert.equal(await whoConnects(), "(anonymous)");
  });

  it("authenticates a WebSocket carrying the session cookie an HTTP login set", async () => {
    assert.equal(await whoConnects(await loginCookie("ada", "pw")), "ada");
    assert.equal(await whoConnects("sessionid=forgedforgedforgedforgedforged12"), "(anonymous)");
  });

  it("deletes the cookie of a session a password change invalidated, on the next HTTP response", async () => {
    const cookie = await loginCookie("ada", "pw");
    const ada = await users.getByUsername("ada");
    await users.update(ada!.id, { passwordHash: await passwords.hash("pw") });
    const response = await new HttpCommunicator(http, "POST", "/login/", "ada:wrong", {
      ...CSRF,
      cookie: `${cookie}; ${CSRF.cookie}`,
    }).getResponse();
    assert.equal(response.status, 403);
    assert.equal(response.body.toString(), "");
    const setCookie = response.headers.find(([, value]) => value.startsWith("sessionid="))?.[1];
    assert.match(setCookie ?? "", /^sessionid=;.*Max-Age=0/);
  });

  it("with tokenAuthMiddleware inside, takes a valid token's user and otherwise the session's", async () => {
    const grace = await users.create({
      username: "grace",
      passwordHash: await passwords.hash("pw"),
    });
    const either = authMiddlewareStack(
      tokenAuthMiddleware({ secret: TOKEN_SECRET, users })<WebsocketScope & AuthScope>(whoAmI),
      options,
    );
    const cookie = await loginCookie("ada", "pw");
    const token = createToken(grace, { secret: TOKEN_SECRET });
    assert.equal(await whoConnects(cookie, either), "ada");
    assert.equal(await whoConnects(cookie, either, `/?token=${token}`), "grace");
    assert.equal(await whoConnects(undefined, either, `/?token=${token}`), "grace");
    assert.equal(await whoConnects(cookie, either, "/?token=forged"), "(anonymous)");
  });
});
