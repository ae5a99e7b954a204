import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { HttpCommunicator } from "../testing/http-communicator.js";
import { WebsocketCommunicator } from "../testing/websocket-communicator.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import type { User } from "../users/user.js";
import type { UserScope } from "./auth-middleware.js";
import { createToken, verifyToken } from "./auth-token.js";
import { tokenAuthMiddleware } from "./token-auth-middleware.js";

const SECRET = "token-secret-0123456789abcdefghijklmnop";
const NOW = new Date("2026-11-23T12:00:00Z");

describe("createToken and verifyToken", () => {
  const user = { id: 42 };

  it("round-trips the user id and expiry", () => {
    const token = createToken(user, { secret: SECRET, maxAgeSeconds: 60, now: NOW });
    assert.match(token, /^42\.\d+\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(verifyToken(token, SECRET, NOW), {
      userId: 42,
      expiresAt: new Date(NOW.getTime() + 60_000),
    });
  });

  it("rejects expired, forged, re-signed and malformed tokens", () => {
    const token = createToken(user, { secret: SECRET, maxAgeSeconds: 60, now: NOW });
    const [id, expiry, signature] = token.split(".") as [string, string, string];
    assert.equal(verifyToken(token, SECRET, new Date(NOW.getTime() + 60_000)), null, "expired");
    assert.equal(verifyToken(`43.${expiry}.${signature}`, SECRET, NOW), null, "other user id");
    assert.equal(
      verifyToken(`${id}.${Number(expiry) + 3600}.${signature}`, SECRET, NOW),
      null,
      "extended",
    );
    const flipped =
      signature.slice(0, 10) + (signature[10] === "A" ? "B" : "A") + signature.slice(11);
    assert.equal(
      verifyToken(`${id}.${expiry}.${flipped}`, SECRET, NOW),
      null,
      "tampered signature",
    );
    assert.equal(verifyToken(token, `${SECRET}x`, NOW), null, "other secret");
    for (const bad of [
      "",
      "42",
      "42.1",
      `${token}.`,
      ` ${token}`,
      "42.1.x",
      token.replace("42", "042"),
    ]) {
      assert.equal(verifyToken(bad, SECRET, NOW), null, bad);
    }
  });

  it("accepts a token signed with any of the secrets it is given, and no other", () => {
    const OLD = `${SECRET}-before-rotation`;
    const signedBefore = createToken(user, { secret: OLD, now: NOW });
    assert.equal(verifyToken(signedBefore, [SECRET, OLD], NOW)?.userId, 42);
    assert.equal(verifyToken(signedBefore, [SECRET], NOW), null);
    assert.equal(verifyToken(signedBefore, SECRET, NOW), null);
    assert.equal(verifyToken(signedBefore, [], NOW), null);
  });

  it("needs a long secret and a positive lifetime", () => {
    assert.throws(() => createToken(user, { secret: "short" }), ImproperlyConfigured);
    assert.throws(
      () => createToken(user, { secret: SECRET, maxAgeSeconds: 0 }),
      ImproperlyConfigured,
    );
  });
});

describe("tokenAuthMiddleware", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  let ada: User;
  let token: string;

  /** Accepts, then sends who the connection is and the subprotocols it saw. */
  const whoAmI: Application<WebsocketScope & UserScope> = async (scope, receive, send) => {
    await receive();
    await send({ type: "websocket.accept" });
    await send({
      type: "websocket.send",
      text: JSON.stringify({ user: scope.user.username || null, subprotocols: scope.subprotocols }),
    });
    await receive();
  };
  const middleware = tokenAuthMiddleware({ secret: SECRET, users });
  const app = middleware<WebsocketScope>(whoAmI);

  before(async () => {
    await users.migrate();
    ada = await users.create({ username: "ada", passwordHash: "!" });
    token = createToken(ada, { secret: SECRET });
  });
  after(() => db.close());

  async function connect(
    application: Application<WebsocketScope>,
    path: string,
    options: { headers?: Record<string, string>; subprotocols?: string[] } = {},
  ) {
    const communicator = new WebsocketCommunicator(application, path, options);
    const result = await communicator.connect();
    const seen = result.connected ? JSON.parse(String(await communicator.receiveFrom())) : null;
    await communicator.disconnect();
    return { result, seen };
  }

  it("authenticates from an Authorization: Bearer header", async () => {
    const { seen } = await connect(app, "/", { headers: { authorization: `Bearer ${token}` } });
    assert.equal(seen.user, "ada");
  });

  it("authenticates from a ?token= query parameter", async () => {
    assert.equal((await connect(app, `/?room=1&token=${token}`)).seen.user, "ada");
  });

  it("authenticates from an access_token subprotocol, hides the token and answers access_token", async () => {
    const { result, seen } = await connect(app, "/", {
      subprotocols: ["chat", "access_token", token],
    });
    assert.equal(seen.user, "ada");
    assert.deepEqual(seen.subprotocols, ["chat", "access_token"]);
    assert.equal(result.connected && result.subprotocol, "access_token");
  });

  it("makes forged, expired and over-long tokens anonymous", async () => {
    const forged = `${ada.id + 1}${token.slice(String(ada.id).length)}`;
    const expired = createToken(ada, {
      secret: SECRET,
      maxAgeSeconds: 60,
      now: new Date(Date.now() - 120_000),
    });
    const tooLong = createToken(ada, { secret: SECRET, maxAgeSeconds: 3600 });
    const foreign = createToken(ada, { secret: `${SECRET}-elsewhere` });
    for (const bad of [forged, expired, tooLong, foreign, "42", ada.id.toString()]) {
      assert.equal((await connect(app, `/?token=${bad}`)).seen.user, null, bad);
    }
  });

  it("makes the token of an inactive or deleted user anonymous", async () => {
    const gone = await users.create({ username: "gone", passwordHash: "!", isActive: false });
    assert.equal(
      (await connect(app, `/?token=${createToken(gone, { secret: SECRET })}`)).seen.user,
      null,
    );
    const ghost = createToken({ id: 987654 }, { secret: SECRET });
    assert.equal((await connect(app, `/?token=${ghost}`)).seen.user, null);
  });

  it("keeps an existing user without a token, and replaces it with anonymous for a bad one", async () => {
    const withUser: Application<WebsocketScope> = (scope, receive, send) =>
      app(Object.assign({}, scope, { user: ada }), receive, send);
    assert.equal((await connect(withUser, "/")).seen.user, "ada");
    assert.equal((await connect(withUser, "/?token=forged")).seen.user, null);
  });

  it("refuses a WebSocket without a valid token when required (HTTP 403)", async () => {
    const strict = tokenAuthMiddleware({ secret: SECRET, users, required: true })<WebsocketScope>(
      whoAmI,
    );
    assert.deepEqual((await connect(strict, "/?token=forged")).result, {
      connected: false,
      closeCode: 1008,
    });
    assert.deepEqual((await connect(strict, "/")).result, { connected: false, closeCode: 1008 });
    assert.equal((await connect(strict, `/?token=${token}`)).seen.user, "ada");
  });

  it("answers 401 with WWW-Authenticate to an HTTP request without a valid token when required", async () => {
    const hello: Application<HttpScope & UserScope> = async (scope, _receive, send) => {
      await send({ type: "http.response.start", status: 200 });
      await send({ type: "http.response.body", body: Buffer.from(scope.user.username) });
    };
    const strict = tokenAuthMiddleware({ secret: SECRET, users, required: true })<HttpScope>(hello);
    const refused = await new HttpCommunicator(strict, "GET", "/").getResponse();
    assert.equal(refused.status, 401);
    assert.ok(
      refused.headers.some(
        ([name, value]) => name === "www-authenticate" && value.startsWith("Bearer"),
      ),
    );
    const ok = await new HttpCommunicator(strict, "GET", "/", "", {
      authorization: `bearer ${token}`,
    }).getResponse();
    assert.equal(ok.body.toString(), "ada");
  });

  it("ignores the query string and subprotocols when told to", async () => {
    const headerOnly = tokenAuthMiddleware({
      secret: SECRET,
      users,
      queryParam: false,
      subprotocol: false,
    });
    const strictApp = headerOnly<WebsocketScope>(whoAmI);
    assert.equal((await connect(strictApp, `/?token=${token}`)).seen.user, null);
    const { seen } = await connect(strictApp, "/", { subprotocols: ["access_token", token] });
    assert.equal(seen.user, null);
  });

  it("accepts tokens signed with a fallback secret after a rotation, and refuses them once it is removed", async () => {
    const NEW = `${SECRET}-after-rotation`;
    const rotated = tokenAuthMiddleware({ secret: NEW, secretFallbacks: [SECRET], users });
    const rotatedApp = rotated<WebsocketScope>(whoAmI);
    assert.equal((await connect(rotatedApp, `/?token=${token}`)).seen.user, "ada");
    const fresh = createToken(ada, { secret: NEW });
    assert.equal((await connect(rotatedApp, `/?token=${fresh}`)).seen.user, "ada");
    assert.equal((await connect(app, `/?token=${fresh}`)).seen.user, null);
    const retired = tokenAuthMiddleware({ secret: NEW, users })<WebsocketScope>(whoAmI);
    assert.equal((await connect(retired, `/?token=${token}`)).seen.user, null);
  });

  it("refuses a short secret at configuration time", () => {
    assert.throws(() => tokenAuthMiddleware({ secret: "short", users }), ImproperlyConfigured);
    assert.throws(
      () => tokenAuthMiddleware({ secret: SECRET, secretFallbacks: ["short"], users }),
      /secretFallbacks\[0\] must be a secret string of at least 32/,
    );
    assert.throws(
      () => tokenAuthMiddleware({ secret: SECRET, users, maxAgeSeconds: -1 }),
      ImproperlyConfigured,
    );
  });
});
