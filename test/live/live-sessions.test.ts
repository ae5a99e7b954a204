import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import type { TestContext } from "node:test";
import { InMemoryChannelLayer } from "../../src/layers/in-memory-channel-layer.js";
import { LIVE_SESSION_CLOSE_CODES as CODES } from "../../src/live/live-close-codes.js";
import type { LiveSessionsOptions } from "../../src/live/live-sessions.js";
import { closed, connect, nextMessage, startServer } from "../../src/server/test-server.js";
import { sessionKeyHash } from "../../src/sessions/session-key-hash.js";
import { InMemorySessionStore } from "../../src/stores/in-memory-session-store.js";
import { SqliteDatabase } from "../../src/stores/sqlite-database.js";
import { SqlUserStore } from "../../src/users/sql-user-store.js";
import type { UserChanges } from "../../src/users/user-store.js";
import type { User } from "../../src/users/user.js";
import { createUser, disconnects, liveApp, loggedIn, passwords, postHeaders } from "./live-app.js";

describe("live sessions over real sockets", { timeout: 30_000 }, () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  const store = new InMemorySessionStore();
  let ada: User;
  let bob: User;

  before(async () => {
    await users.migrate();
    [ada, bob] = [await createUser(users, "ada"), await createUser(users, "bob")];
  });
  after(() => db.close());
  beforeEach(() => {
    disconnects.length = 0;
  });

  async function start(t: TestContext, liveSessions: LiveSessionsOptions = {}) {
    const server = await startServer(t, liveApp(users, store), {
      liveSessions: { channelLayer: null, revalidateIntervalMs: 0, ...liveSessions },
    });
    const open = (key: string, route = "/ws/") =>
      connect(server.wsUrl(route), [], { headers: { cookie: `sessionid=${key}` } });
    return { server, open };
  }

  test("a logout over HTTP closes that session's sockets with 4001 and no other", async (t) => {
    const { server, open } = await start(t);
    const adaKey = await loggedIn(store, users, ada);
    const otherAdaKey = await loggedIn(store, users, ada);
    const [one, two, other] = await Promise.all([open(adaKey), open(adaKey), open(otherAdaKey)]);
    const closes = Promise.all([closed(one), closed(two)]);
    const response = await fetch(`${server.handle.url}/logout/`, {
      method: "POST",
      headers: postHeaders(adaKey),
    });
    assert.equal(response.status, 200);
    for (const close of await closes) {
      assert.deepEqual(close, { code: CODES.sessionEnded, reason: "session ended" });
    }
    assert.equal(other.readyState, other.OPEN);
    await waitFor(() => disconnects.length === 2);
    assert.deepEqual(disconnects, [CODES.sessionEnded, CODES.sessionEnded]);
    other.close();
  });

  test("a logout from a consumer keeps its own socket, anonymous, and closes the session's others", async (t) => {
    const { open } = await start(t);
    const key = await loggedIn(store, users, ada);
    const [self, sibling] = [await open(key), await open(key)];
    const close = closed(sibling);
    const answer = nextMessage(self);
    self.send("logout");
    assert.equal((await answer).data.toString(), "logged out");
    assert.equal((await close).code, CODES.sessionEnded);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(self.readyState, self.OPEN);
    self.close();
  });

  test("a login over a socket moves it to the new session", async (t) => {
    const { server, open } = await start(t);
    const socket = await open(await loggedIn(store, users, ada));
    const answer = nextMessage(socket);
    socket.send("login");
    const newHash = (await answer).data.toString();
    const close = closed(socket);
    await server.handle.liveSessions.revoke({ session: newHash, reason: "new one ended" });
    assert.deepEqual(await close, { code: CODES.sessionEnded, reason: "new one ended" });
  });

  test("logoutEverywhere ends every session and socket of the user, and no other user's", async (t) => {
    const { server, open } = await start(t);
    const eve = await createUser(users, "eve");
    const [here, there] = [await loggedIn(store, users, eve), await loggedIn(store, users, eve)];
    const sockets = [await open(here), await open(there)];
    const bobs = await open(await loggedIn(store, users, bob));
    const closes = Promise.all(sockets.map(closed));
    const response = await fetch(`${server.handle.url}/logout-everywhere/`, {
      method: "POST",
      headers: postHeaders(here),
    });
    assert.equal(response.status, 200);
    const [onHere, onThere] = await closes;
    assert.deepEqual(onHere, { code: CODES.sessionEnded, reason: "session ended" });
    assert.deepEqual(onThere, { code: CODES.sessionEnded, reason: "logged out everywhere" });
    await assert.rejects(open(there), /refused with 403/, "the other session is anonymous now");
    assert.equal(bobs.readyState, bobs.OPEN);
    bobs.close();
  });

  test("revoke({ user }) closes every socket of that user with 4002, not another user's", async (t) => {
    const { server, open } = await start(t);
    const [a1, a2, b] = await Promise.all([
      open(await loggedIn(store, users, ada)),
      open(await loggedIn(store, users, ada)),
      open(await loggedIn(store, users, bob)),
    ]);
    const closes = Promise.all([closed(a1), closed(a2)]);
    await server.handle.liveSessions.revoke({ user: String(ada.id), reason: "deactivated" });
    for (const close of await closes) assert.equal(close.code, CODES.credentialsChanged);
    assert.equal(b.readyState, b.OPEN);
    b.close();
  });

  const changes: Array<[string, () => Promise<UserChanges>]> = [
    ["a password change", async () => ({ passwordHash: await passwords.hash("new") })],
    ["making the user inactive", async () => ({ isActive: false })],
  ];
  for (const [what, change] of changes) {
    test(`${what}, made where no layer reaches, closes the user's sockets at re-validation`, async (t) => {
      const { open } = await start(t, { revalidateIntervalMs: 100 });
      const carl = await createUser(users, `carl-${what}`);
      const socket = await open(await loggedIn(store, users, carl));
      const bobs = await open(await loggedIn(store, users, bob));
      const close = closed(socket);
      await users.update(carl.id, await change());
      assert.deepEqual(await close, {
        code: CODES.credentialsChanged,
        reason: "credentials changed",
      });
      await new Promise((resolve) => setTimeout(resolve, 250));
      assert.equal(bobs.readyState, bobs.OPEN);
      bobs.close();
    });
  }

  test("a session deleted from the store closes its sockets at re-validation with 4001", async (t) => {
    const { open } = await start(t, { revalidateIntervalMs: 100 });
    const key = await loggedIn(store, users, ada);
    const close = closed(await open(key));
    await store.delete(key);
    assert.equal((await close).code, CODES.sessionEnded);
  });

  test("a socket closes with 4003 when its session expires, within the granularity", async (t) => {
    const { open } = await start(t, { expiryGranularityMs: 100 });
    const key = await loggedIn(store, users, ada, 1);
    const expiresAt = (await store.load(key))!.expiresAt.getTime();
    const socket = await open(key);
    const close = await closed(socket);
    assert.deepEqual(close, { code: CODES.sessionExpired, reason: "session expired" });
    const late = Date.now() - expiresAt;
    assert.ok(late >= 0 && late < 400, `closed ${late} ms after the expiry`);
  });

  test("a route wrapped in withoutLiveSession stays open after logout", async (t) => {
    const { server, open } = await start(t);
    const key = await loggedIn(store, users, ada);
    const tracked = await open(key);
    const free = await open(key, "/free/");
    const close = closed(tracked);
    await server.handle.liveSessions.revoke({ session: sessionKeyHash(key), reason: "bye" });
    assert.equal((await close).code, CODES.sessionEnded);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(free.readyState, free.OPEN);
    free.close();
  });

  test("a revocation on one server reaches another through their shared layer", async (t) => {
    const layer = new InMemoryChannelLayer();
    const { open } = await start(t, { channelLayer: layer });
    const other = await start(t, { channelLayer: layer });
    const key = await loggedIn(store, users, ada);
    const close = closed(await open(key));
    await new Promise((resolve) => setTimeout(resolve, 50)); // both listeners joined the group
    await other.server.handle.liveSessions.revoke({
      session: sessionKeyHash(key),
      reason: "elsewhere",
    });
    assert.deepEqual(await close, { code: CODES.sessionEnded, reason: "elsewhere" });
  });

  test("a socket over maxSocketsPerUser is closed with 4004 and one log line", async (t) => {
    const { server, open } = await start(t, { maxSocketsPerUser: 2 });
    const key = await loggedIn(store, users, ada);
    const [a, b] = [await open(key), await open(key)];
    const third = await open(key);
    assert.deepEqual(await closed(third), {
      code: CODES.tooManySockets,
      reason: "too many open connections for this user",
    });
    assert.equal(
      server.logger.infos.filter((line) => line.includes("maxSocketsPerUser")).length,
      1,
    );
    a.close();
    await closed(a);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fourth = await open(key);
    assert.equal(fourth.readyState, fourth.OPEN, "a closed socket frees its place");
    b.close();
    fourth.close();
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

test("SqlUserStore.migrate adds session_version to a table made before it existed", async () => {
  const db = new SqliteDatabase(":memory:");
  await db.execute(
    `CREATE TABLE switchboard_user (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL, is_active INTEGER NOT NULL, is_staff INTEGER NOT NULL,
      is_superuser INTEGER NOT NULL, last_login TEXT, date_joined TEXT NOT NULL)`,
  );
  await db.execute(
    "INSERT INTO switchboard_user VALUES (1, 'old', 'x', 1, 0, 0, NULL, '2020-01-01T00:00:00Z')",
  );
  const users = new SqlUserStore(db);
  await users.migrate();
  await users.migrate();
  assert.equal((await users.getById(1))?.sessionVersion, 0);
  assert.equal((await users.update(1, { sessionVersion: 3 }))?.sessionVersion, 3);
  db.close();
});
