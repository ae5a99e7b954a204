import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { cookieMiddleware } from "../cookies/cookie-middleware.js";
import { ImproperlyConfigured } from "../errors.js";
import { csrfMiddleware, type CsrfScope } from "../security/csrf-middleware.js";
import { sessionMiddleware } from "../sessions/session-middleware.js";
import { HttpCommunicator } from "../testing/index.js";
import type { Application, HttpScope } from "../types/asgi.js";
import { Session } from "../sessions/session.js";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { anonymousUser } from "../users/anonymous-user.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import type { User } from "../users/user.js";
import { AUTH_CONFIG, resolveAuthConfig } from "./auth-config.js";
import { authMiddleware } from "./auth-middleware.js";
import type { AuthScope } from "./auth-middleware-stack.js";
import { authenticate } from "./authenticate.js";
import { login, type LoginScope } from "./login.js";
import { logout } from "./logout.js";
import { ModelBackend } from "./model-backend.js";
import { Passwords } from "./passwords.js";
import { ScryptHasher } from "./scrypt-hasher.js";
import { sessionAuthHash } from "./session-auth-hash.js";
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY } from "./session-keys.js";

const SECRET = "test-secret-0123456789abcdefghijklmnop";

describe("login and logout", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
  const store = new InMemorySessionStore();
  const model = new ModelBackend({ users, passwords });
  const config = resolveAuthConfig({ backends: [model], secretKey: SECRET });
  let ada: User;
  let bob: User;

  before(async () => {
    await users.migrate();
    ada = await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
    bob = await users.create({ username: "bob", passwordHash: await passwords.hash("pw") });
  });
  after(() => db.close());

  /** A scope as authMiddleware leaves it, over a saved session holding `data`. */
  async function scopeWith(
    data: Record<string, string> = {},
  ): Promise<LoginScope & { session: Session }> {
    const session = new Session(store);
    for (const [key, value] of Object.entries(data)) await session.set(key, value);
    await session.save();
    return {
      session: new Session(store, session.sessionKey),
      user: anonymousUser,
      [AUTH_CONFIG]: config,
    };
  }

  it("stores id, backend and hash, cycles the key and sets scope.user", async () => {
    const scope = await scopeWith({ cart: "3 apples" });
    const oldKey = scope.session.sessionKey ?? "";
    const user = await authenticate({ username: "ada", password: "pw" }, [model]);
    await login(scope, user!);
    assert.equal(await scope.session.get(SESSION_KEY), String(ada.id));
    assert.equal(await scope.session.get(BACKEND_SESSION_KEY), "model");
    assert.equal(await scope.session.get(HASH_SESSION_KEY), sessionAuthHash(ada, SECRET));
    assert.equal(await scope.session.get("cart"), "3 apples");
    assert.notEqual(scope.session.sessionKey, oldKey);
    assert.equal(await store.exists(oldKey), false, "the planted key is gone from the store");
    assert.equal(scope.user?.username, "ada");
    assert.equal(scope.user?.isAuthenticated, true);
  });

  it("records the login time on the user and in the store", async () => {
    const scope = await scopeWith();
    const before = Date.now();
    await login(scope, ada);
    const stored = await users.getById(ada.id);
    assert.ok((stored?.lastLogin?.getTime() ?? 0) >= before);
    assert.equal(
      scope.user?.isAuthenticated && scope.user.lastLogin?.getTime(),
      stored?.lastLogin?.getTime(),
    );
  });

  it("flushes a session that belonged to another user", async () => {
    const scope = await scopeWith({
      [SESSION_KEY]: String(bob.id),
      [BACKEND_SESSION_KEY]: "model",
      [HASH_SESSION_KEY]: sessionAuthHash(bob, SECRET),
      secret: "bob's",
    });
    await login(scope, ada);
    assert.equal(await scope.session.get("secret"), undefined);
    assert.equal(await scope.session.get(SESSION_KEY), String(ada.id));
  });

  it("flushes a session of the same user made before a password change", async () => {
    const scope = await scopeWith({
      [SESSION_KEY]: String(ada.id),
      [BACKEND_SESSION_KEY]: "model",
      [HASH_SESSION_KEY]: sessionAuthHash({ passwordHash: "an old hash" }, SECRET),
      note: "old",
    });
    await login(scope, ada);
    assert.equal(await scope.session.get("note"), undefined);
  });

  it("keeps the data of the same user's session, under a new key", async () => {
    const scope = await scopeWith({
      [SESSION_KEY]: String(ada.id),
      [BACKEND_SESSION_KEY]: "model",
      [HASH_SESSION_KEY]: sessionAuthHash(ada, SECRET),
      note: "kept",
    });
    const oldKey = scope.session.sessionKey;
    await login(scope, ada);
    assert.equal(await scope.session.get("note"), "kept");
    assert.notEqual(scope.session.sessionKey, oldKey);
  });

  it("persists only on save(), and a new Session with the new key reads the login", async () => {
    const scope = await scopeWith();
    await login(scope, ada);
    const key = scope.session.sessionKey;
    await scope.session.save();
    assert.equal(await new Session(store, key).get(SESSION_KEY), String(ada.id));
  });

  it("uses the only configured backend when the user carries none, and refuses an unknown one", async () => {
    const scope = await scopeWith();
    await login(scope, ada);
    assert.equal(await scope.session.get(BACKEND_SESSION_KEY), "model");
    await assert.rejects(
      login(await scopeWith(), ada, "ldap"),
      /backend "ldap", which authMiddleware is not configured/,
    );
    const two = resolveAuthConfig({
      backends: [model, new ModelBackend({ users, name: "other" })],
      secretKey: SECRET,
    });
    const ambiguous = { ...(await scopeWith()), [AUTH_CONFIG]: two };
    await assert.rejects(login(ambiguous, ada), /cannot tell which backend/);
  });

  it("logs in scope.user when given no user, as Channels' login(scope, None)", async () => {
    for (const none of [undefined, null]) {
      const scope = { ...(await scopeWith()), user: ada };
      await login(scope, none);
      assert.equal(await scope.session.get(SESSION_KEY), String(ada.id));
      assert.equal(await scope.session.get(BACKEND_SESSION_KEY), "model");
      assert.ok(scope.user.lastLogin, "scope.user is the logged-in user, lastLogin set");
    }
  });

  it("needs a user, a session and the auth configuration", async () => {
    const scope = await scopeWith();
    for (const bad of [null, undefined]) {
      await assert.rejects(login(scope, bad), (error) => {
        assert.ok(error instanceof ImproperlyConfigured);
        assert.match(error.message, /given no user and scope\.user is not a User/);
        return true;
      });
    }
    const { user: _, ...userless } = scope;
    await assert.rejects(login(userless), /given no user and scope\.user is missing/);
    await assert.rejects(login(scope, anonymousUser as unknown as User), (error) => {
      assert.ok(error instanceof ImproperlyConfigured);
      assert.match(error.message, /needs a User/);
      return true;
    });
    await assert.rejects(login({ [AUTH_CONFIG]: config }, ada), /login\(\) needs scope\.session/);
    await assert.rejects(login({ session: scope.session }, ada), /went through authMiddleware/);
  });

  it("logout flushes the session from the store and makes the scope anonymous", async () => {
    const scope = await scopeWith();
    await login(scope, ada);
    await scope.session.save();
    const key = scope.session.sessionKey ?? "";
    await logout(scope);
    assert.equal(scope.user, anonymousUser);
    assert.equal(await store.exists(key), false);
    assert.equal(await scope.session.get(SESSION_KEY), undefined);
    await assert.rejects(logout({}), /logout\(\) needs scope\.session/);
  });

  it("logout leaves a scope that had no user without one", async () => {
    const { user: _, ...userless } = await scopeWith();
    await logout(userless);
    assert.equal("user" in userless, false);
  });
});

describe("login over HTTP behind csrfMiddleware", () => {
  it("rotates the CSRF token: the response sets a new csrftoken cookie with the session", async () => {
    const db = new SqliteDatabase(":memory:");
    const users = new SqlUserStore(db);
    const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
    await users.migrate();
    await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
    const backends = [new ModelBackend({ users, passwords })];
    const signIn: Application<HttpScope & CsrfScope & AuthScope> = async (
      scope,
      _receive,
      send,
    ) => {
      const user = await authenticate({ username: "ada", password: "pw" }, backends);
      await login(scope, user!);
      await send({ type: "http.response.start", status: 200 });
      await send({ type: "http.response.body", body: Buffer.from(scope.csrfToken) });
    };
    const app = cookieMiddleware()(
      csrfMiddleware()(
        sessionMiddleware({ store: new InMemorySessionStore() })(
          authMiddleware({ backends, secretKey: SECRET })(signIn),
        ),
      ),
    );
    const before = "b".repeat(32);
    try {
      const response = await new HttpCommunicator(app, "POST", "/login/", "", {
        host: "testserver",
        cookie: `csrftoken=${before}`,
        "x-csrftoken": before,
      }).getResponse();
      assert.equal(response.status, 200);
      const cookies = response.headers
        .filter(([name]) => name === "set-cookie")
        .map(([, value]) => value.split(";")[0] ?? "");
      const rotated = cookies.find((cookie) => cookie.startsWith("csrftoken="));
      assert.ok(rotated, `a new csrftoken cookie, got ${cookies.join(" | ")}`);
      assert.match(rotated, /^csrftoken=[A-Za-z0-9_-]{32}$/);
      assert.notEqual(rotated, `csrftoken=${before}`);
      assert.ok(cookies.some((cookie) => cookie.startsWith("sessionid=")));
    } finally {
      await db.close();
    }
  });
});
