import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { path } from "../routing/path.js";
import { urlRouter } from "../routing/url-router.js";
import type { CsrfScope } from "../security/csrf-middleware.js";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { HttpCommunicator, type HttpTestResponse } from "../testing/http-communicator.js";
import { WebsocketCommunicator } from "../testing/websocket-communicator.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import {
  authMiddlewareStack,
  type AuthMiddlewareStackOptions,
  type AuthScope,
} from "./auth-middleware-stack.js";
import { authenticate } from "./authenticate.js";
import { login } from "./login.js";
import { logout } from "./logout.js";
import { ModelBackend } from "./model-backend.js";
import { Passwords } from "./passwords.js";
import { ScryptHasher } from "./scrypt-hasher.js";

const TOKEN = "t".repeat(32);
const FORM = "application/x-www-form-urlencoded";

/** The `name=value` pairs a response sets, by cookie name. */
function setCookies(response: HttpTestResponse): Map<string, string> {
  const pairs = response.headers
    .filter(([name]) => name === "set-cookie")
    .map(([, value]): [string, string] => {
      const [name = "", cookie = ""] = (value.split(";")[0] ?? "").split(/=(.*)/s);
      return [name, cookie];
    });
  return new Map(pairs);
}

describe("authMiddlewareStack's CSRF check on HTTP", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
  const auth: AuthMiddlewareStackOptions = {
    store: new InMemorySessionStore(),
    backends: [new ModelBackend({ users, passwords })],
    secretKey: "stack-csrf-secret-0123456789abcdefghijk",
  };
  /** Paths the inner application ran for: a refused request must not appear. */
  const ran: string[] = [];

  // Answers the request's token and body; never reached by a refused request.
  const echo: Application<HttpScope & AuthScope & CsrfScope> = async (scope, receive, send) => {
    ran.push(`${scope.method} ${scope.path}`);
    const event = await receive();
    const body = event.type === "http.request" ? Buffer.from(event.body).toString() : "";
    await send({ type: "http.response.start", status: 200 });
    await send({ type: "http.response.body", body: Buffer.from(`${scope.csrfToken}|${body}`) });
  };
  // A logout that reads no body: the check cannot wait for the body to be read.
  const logoutView: Application<HttpScope & AuthScope> = async (scope, _receive, send) => {
    ran.push(`${scope.method} ${scope.path}`);
    await logout(scope);
    await send({ type: "http.response.start", status: 204 });
    await send({ type: "http.response.body", body: Buffer.alloc(0) });
  };
  const loginView: Application<HttpScope & AuthScope & CsrfScope> = async (scope, _r, send) => {
    const user = await authenticate({ username: "ada", password: "pw" }, scope);
    await login(scope, user!);
    await send({ type: "http.response.start", status: 200 });
    await send({ type: "http.response.body", body: Buffer.from(scope.csrfToken) });
  };
  const whoami: Application<HttpScope & AuthScope> = async (scope, _receive, send) => {
    await send({ type: "http.response.start", status: 200 });
    await send({ type: "http.response.body", body: Buffer.from(scope.user.username) });
  };
  const routes = urlRouter<HttpScope & AuthScope & CsrfScope>([
    path("login/", loginView),
    path("logout/", logoutView),
    path("whoami/", whoami),
    path("", echo, { nested: true }),
  ]);
  const http = authMiddlewareStack(routes, auth);

  const request = (
    method: string,
    route: string,
    body = "",
    headers: Record<string, string> = {},
    app: Application<HttpScope> = http,
  ) =>
    new HttpCommunicator(app, method, route, body, {
      host: "testserver",
      ...headers,
    }).getResponse();

  before(async () => {
    await users.migrate();
    await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
  });
  after(() => db.close());

  it("refuses POST, PUT, PATCH and DELETE without a token with 403, before the application runs", async () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      ran.length = 0;
      const response = await request(method, "/form/", "name=x", {
        "content-type": FORM,
        cookie: `csrftoken=${TOKEN}`,
      });
      assert.equal(response.status, 403, method);
      assert.equal(
        response.body.toString(),
        'CSRF verification failed: the CSRF token is missing; send it in the form field "csrfmiddlewaretoken" or the header "x-csrftoken".\n',
      );
      assert.deepEqual(ran, [], `${method} never reached the application`);
    }
  });

  it("passes an unsafe request carrying the token in the form field or the header", async () => {
    const body = `name=x&csrfmiddlewaretoken=${TOKEN}`;
    const field = await request("POST", "/form/", body, {
      "content-type": FORM,
      cookie: `csrftoken=${TOKEN}`,
    });
    assert.equal(field.status, 200);
    assert.equal(
      field.body.toString(),
      `${TOKEN}|${body}`,
      "the whole body reaches the application",
    );
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const header = await request(method, "/api/", "{}", {
        "content-type": "application/json",
        cookie: `csrftoken=${TOKEN}`,
        "x-csrftoken": TOKEN,
      });
      assert.equal(header.status, 200, method);
    }
  });

  it("passes safe methods without a token and issues the token cookie that scope.csrfToken holds", async () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      const response = await request(method, "/form/");
      assert.equal(response.status, 200, method);
      const issued = setCookies(response).get("csrftoken");
      assert.match(issued ?? "", /^[A-Za-z0-9_-]{32}$/);
      assert.equal(response.body.toString(), `${issued}|`);
    }
  });

  it("refuses a POST from another origin even with the token", async () => {
    const response = await request("POST", "/form/", `csrfmiddlewaretoken=${TOKEN}`, {
      "content-type": FORM,
      cookie: `csrftoken=${TOKEN}`,
      origin: "https://evil.test",
    });
    assert.equal(response.status, 403);
    assert.match(response.body.toString(), /another origin/);
  });

  it("refuses a logout that reads no body when the token is missing: the session survives", async () => {
    const signedIn = await request("POST", "/login/", "", {
      cookie: `csrftoken=${TOKEN}`,
      "x-csrftoken": TOKEN,
    });
    const cookies = setCookies(signedIn);
    const session = `sessionid=${cookies.get("sessionid")}`;
    const token = cookies.get("csrftoken") ?? "";
    const jar = { cookie: `${session}; csrftoken=${token}` };
    ran.length = 0;
    const forged = await request("POST", "/logout/", "", jar);
    assert.equal(forged.status, 403);
    assert.deepEqual(ran, []);
    assert.equal((await request("GET", "/whoami/", "", jar)).body.toString(), "ada");
    const real = await request("POST", "/logout/", "", { ...jar, "x-csrftoken": token });
    assert.equal(real.status, 204);
    assert.equal((await request("GET", "/whoami/", "", jar)).body.toString(), "");
  });

  it("rotates the token on login: the response sets a new csrftoken cookie with the session", async () => {
    const response = await request("POST", "/login/", "", {
      cookie: `csrftoken=${TOKEN}`,
      "x-csrftoken": TOKEN,
    });
    assert.equal(response.status, 200);
    const cookies = setCookies(response);
    assert.match(cookies.get("sessionid") ?? "", /^[a-z0-9]{32}$/);
    const rotated = cookies.get("csrftoken");
    assert.match(rotated ?? "", /^[A-Za-z0-9_-]{32}$/);
    assert.notEqual(rotated, TOKEN);
  });

  it("lets exempt paths through without a token: exact paths and patterns, nothing else", async () => {
    const exempting = authMiddlewareStack(routes, {
      ...auth,
      csrf: { exempt: ["/hooks/payment/", /^\/api\/v2\//g] },
    });
    const post = (route: string) => request("POST", route, "{}", {}, exempting);
    assert.equal((await post("/hooks/payment/")).status, 200);
    assert.equal((await post("/hooks/payment/extra/")).status, 403, "a string is an exact path");
    assert.equal((await post("/hooks/")).status, 403);
    // a /g pattern answers the same on every request
    assert.equal((await post("/api/v2/items/")).status, 200);
    assert.equal((await post("/api/v2/items/")).status, 200);
    assert.equal((await post("/api/v1/items/")).status, 403);
  });

  it("with csrf: false checks nothing, sets no token cookie and leaves scope.csrfToken unset", async () => {
    const unchecked = authMiddlewareStack<HttpScope>(
      async (scope, receive, send) => {
        await receive();
        await send({ type: "http.response.start", status: 200 });
        await send({ type: "http.response.body", body: Buffer.from(String("csrfToken" in scope)) });
      },
      { ...auth, csrf: false },
    );
    const response = await request("POST", "/form/", "name=x", { "content-type": FORM }, unchecked);
    assert.equal(response.status, 200);
    assert.equal(response.body.toString(), "false");
    assert.equal(setCookies(response).has("csrftoken"), false);
  });
});

describe("authMiddlewareStack's CSRF check leaves WebSockets alone", () => {
  it("logs in and out inside a consumer with no token, and puts none on the scope", async () => {
    const db = new SqliteDatabase(":memory:");
    const users = new SqlUserStore(db);
    const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
    await users.migrate();
    await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
    const auth = {
      store: new InMemorySessionStore(),
      backends: [new ModelBackend({ users, passwords })],
      secretKey: "stack-csrf-secret-0123456789abcdefghijk",
    };
    const socketLogin: Application<WebsocketScope & AuthScope> = async (scope, receive, send) => {
      await receive();
      await send({ type: "websocket.accept" });
      await login(scope, (await authenticate({ username: "ada", password: "pw" }, scope))!);
      const name = scope.user.username;
      await logout(scope);
      await send({ type: "websocket.send", text: `${name}|${"csrfToken" in scope}` });
      await receive();
    };
    const communicator = new WebsocketCommunicator(authMiddlewareStack(socketLogin, auth), "/");
    try {
      const handshake = await communicator.connect();
      assert.ok(handshake.connected);
      assert.equal(
        handshake.headers.some(([name, value]) => name === "set-cookie" && /csrftoken/.test(value)),
        false,
      );
      assert.equal(await communicator.receiveFrom(), "ada|false");
    } finally {
      await communicator.disconnect();
      await db.close();
    }
  });
});
