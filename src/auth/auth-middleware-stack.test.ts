import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { HttpCommunicator } from "../testing/http-communicator.js";
import { WebsocketCommunicator } from "../testing/websocket-communicator.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import { authMiddlewareStack, type AuthScope } from "./auth-middleware-stack.js";
import { authenticate } from "./authenticate.js";
import { login } from "./login.js";
import { ModelBackend } from "./model-backend.js";
import { Passwords } from "./passwords.js";
import { ScryptHasher } from "./scrypt-hasher.js";

const SECRET = "stack-secret-0123456789abcdefghijklmnop";

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

  async function whoConnects(cookie?: string): Promise<string | Uint8Array> {
    const communicator = new WebsocketCommunicator(websocket, "/", {
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
    const response = await new HttpCommunicator(http, "POST", "/login/", "ada:pw").getResponse();
    assert.equal(response.status, 200);
    const cookie = response.headers.find(([name]) => name === "set-cookie")?.[1] ?? "";
    assert.match(cookie, /^sessionid=[a-z0-9]{32};/);
    assert.equal(await whoConnects(cookie.split(";")[0]), "ada");
    assert.equal(await whoConnects("sessionid=forgedforgedforgedforgedforged12"), "(anonymous)");
  });
});
