import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import { Session } from "../sessions/session.js";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { WebsocketCommunicator } from "../testing/websocket-communicator.js";
import type { Application, WebsocketScope } from "../types/asgi.js";
import { anonymousUser } from "../users/anonymous-user.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import type { User } from "../users/user.js";
import type { SessionScope } from "../sessions/session-middleware.js";
import type { AuthBackend } from "./auth-backend.js";
import { resolveAuthConfig } from "./auth-config.js";
import { authMiddleware, type UserScope } from "./auth-middleware.js";
import { getUser } from "./get-user.js";
import { ModelBackend } from "./model-backend.js";
import { Passwords } from "./passwords.js";
import { ScryptHasher } from "./scrypt-hasher.js";
import { sessionAuthHash } from "./session-auth-hash.js";
import { BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY } from "./session-keys.js";

const SECRET = "test-secret-0123456789abcdefghijklmnop";
type Scope = WebsocketScope & SessionScope;

/**
 * Accepts and reports who the connection is; then answers "scope" with `scope.user` and "reread"
 * with `getUser(scope)`.
 */
const whoAmI: Application<Scope & UserScope> = async (scope, receive, send) => {
  for (;;) {
    const event = await receive();
    if (event.type === "websocket.connect") {
      await send({ type: "websocket.accept" });
      await send({ type: "websocket.send", text: scope.user.username || "(anonymous)" });
    } else if (event.type === "websocket.receive") {
      const user = event.text === "reread" ? await getUser(scope) : scope.user;
      await send({ type: "websocket.send", text: user.username || "(anonymous)" });
    } else return;
  }
};

describe("authMiddleware", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
  const store = new InMemorySessionStore();
  let lookups = 0;
  const model = new ModelBackend({ users, passwords });
  // The real backend, counting its lookups to show the user is resolved once per connection.
  const counted: AuthBackend = {
    name: "model",
    authenticate: (credentials) => model.authenticate(credentials),
    getUser: (id) => {
      lookups++;
      return model.getUser(id);
    },
  };
  const app = authMiddleware({ backends: [counted], secretKey: SECRET })<Scope>(whoAmI);
  let ada: User;

  before(async () => {
    await users.migrate();
    ada = await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
  });
  after(() => db.close());

  /** A saved session logged in as `user`, the way `login` leaves one. */
  async function sessionOf(user: User, backend = "model", secretKey = SECRET): Promise<Session> {
    const session = new Session(store);
    await session.set(SESSION_KEY, String(user.id));
    await session.set(BACKEND_SESSION_KEY, backend);
    await session.set(HASH_SESSION_KEY, sessionAuthHash(user, secretKey));
    await session.save();
    return new Session(store, session.sessionKey);
  }

  async function whoConnects(session: Session, extras: Partial<UserScope> = {}): Promise<string> {
    const communicator = new WebsocketCommunicator(app, "/", {
      session,
      ...extras,
    } as SessionScope);
    assert.equal((await communicator.connect()).connected, true);
    const name = await communicator.receiveFrom();
    await communicator.disconnect();
    return String(name);
  }

  it("puts the anonymous user on the scope when the session has no user", async () => {
    assert.equal(await whoConnects(new Session(store)), "(anonymous)");
  });

  it("puts the session's user on the scope", async () => {
    assert.equal(await whoConnects(await sessionOf(ada)), "ada");
  });

  it("resolves the user once per connection, not per message", async () => {
    const communicator = new WebsocketCommunicator(app, "/", { session: await sessionOf(ada) });
    const before = lookups;
    await communicator.connect();
    await communicator.receiveFrom();
    for (let i = 0; i < 3; i++) {
      await communicator.sendTo({ text: "scope" });
      assert.equal(await communicator.receiveFrom(), "ada");
    }
    assert.equal(lookups, before + 1);
    await communicator.disconnect();
  });

  it("rereads the session's user on getUser(scope)", async () => {
    const session = await sessionOf(ada);
    const communicator = new WebsocketCommunicator(app, "/", { session });
    await communicator.connect();
    assert.equal(await communicator.receiveFrom(), "ada");
    await session.flush();
    await communicator.sendTo({ text: "scope" });
    assert.equal(await communicator.receiveFrom(), "ada");
    await communicator.sendTo({ text: "reread" });
    assert.equal(await communicator.receiveFrom(), "(anonymous)");
    await communicator.disconnect();
  });

  it("flushes the session and is anonymous when the password changed since login", async () => {
    const bob = await users.create({ username: "bob", passwordHash: await passwords.hash("old") });
    const session = await sessionOf(bob);
    const key = session.sessionKey ?? "";
    await users.update(bob.id, { passwordHash: await passwords.hash("new") });
    assert.equal(await whoConnects(session), "(anonymous)");
    assert.equal(await store.exists(key), false);
  });

  it("is anonymous for a hash made with another secret", async () => {
    assert.equal(
      await whoConnects(await sessionOf(ada, "model", `${SECRET}-other`)),
      "(anonymous)",
    );
  });

  it("accepts a hash made with a fallback secret key and re-hashes it with the current key", async () => {
    const OLD = "old-secret-0123456789abcdefghijklmnopqr";
    const rotated = authMiddleware({
      backends: [counted],
      secretKey: SECRET,
      secretKeyFallbacks: [OLD],
    })<Scope>(whoAmI);
    const session = await sessionOf(ada, "model", OLD);
    const communicator = new WebsocketCommunicator(rotated, "/", { session });
    await communicator.connect();
    assert.equal(await communicator.receiveFrom(), "ada");
    await communicator.disconnect();
    assert.equal(await session.get(HASH_SESSION_KEY), sessionAuthHash(ada, SECRET));
    assert.equal(session.modified, true);
    const unknown = await sessionOf(ada, "model", `${OLD}-unknown`);
    assert.equal(await whoConnects(unknown), "(anonymous)");
  });

  it("is anonymous when the session names a backend that is no longer configured", async () => {
    assert.equal(await whoConnects(await sessionOf(ada, "ldap")), "(anonymous)");
  });

  it("is anonymous when the user was deactivated or deleted", async () => {
    const carol = await users.create({
      username: "carol",
      passwordHash: await passwords.hash("pw"),
    });
    const session = await sessionOf(carol);
    await users.update(carol.id, { isActive: false });
    assert.equal(await whoConnects(session), "(anonymous)");
    const ghost = carol.with({ id: 424242 });
    assert.equal(await whoConnects(await sessionOf(ghost)), "(anonymous)");
  });

  it("keeps a user an outer middleware already put on the scope", async () => {
    assert.equal(await whoConnects(new Session(store), { user: ada }), "ada");
    assert.equal(await whoConnects(await sessionOf(ada), { user: anonymousUser }), "(anonymous)");
  });

  it("refuses to run without scope.session, pointing at authMiddlewareStack", async () => {
    const bare = authMiddleware({ backends: [model], secretKey: SECRET })<Scope>(whoAmI);
    const communicator = new WebsocketCommunicator(bare, "/", {} as SessionScope);
    await communicator.sendInput({ type: "websocket.connect" });
    await assert.rejects(communicator.wait(), (error) => {
      assert.ok(error instanceof ImproperlyConfigured);
      assert.match(error.message, /scope\.session.*authMiddlewareStack/);
      return true;
    });
  });
});

describe("resolveAuthConfig", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  after(() => db.close());
  const backend = new ModelBackend({ users });

  it("requires a secret key of at least 32 characters", () => {
    assert.throws(
      () => resolveAuthConfig({ backends: [backend], secretKey: "short" }),
      /at least 32/,
    );
    assert.throws(
      () => resolveAuthConfig({ backends: [backend], secretKey: "k".repeat(31) }),
      ImproperlyConfigured,
    );
    assert.doesNotThrow(() =>
      resolveAuthConfig({ backends: [backend], secretKey: "k".repeat(32) }),
    );
    const missing = { backends: [backend] } as unknown as Parameters<typeof resolveAuthConfig>[0];
    assert.throws(() => resolveAuthConfig(missing), ImproperlyConfigured);
    assert.throws(
      () =>
        resolveAuthConfig({ backends: [backend], secretKey: SECRET, secretKeyFallbacks: ["x"] }),
      /secretKeyFallbacks\[0\] must be a secret string of at least 32/,
    );
  });

  it("requires at least one backend, each with a distinct name", () => {
    assert.throws(
      () => resolveAuthConfig({ backends: [], secretKey: SECRET }),
      /at least one backend/,
    );
    assert.throws(
      () => resolveAuthConfig({ backends: [backend, backend], secretKey: SECRET }),
      /Two auth backends are named "model"/,
    );
  });
});
