import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { TestContext } from "node:test";
import { deactivateUser, deleteUser, setPassword } from "../../src/auth/credential-changes.js";
import { InMemoryChannelLayer } from "../../src/layers/in-memory-channel-layer.js";
import { setChannelLayer } from "../../src/layers/registry.js";
import { LIVE_SESSION_CLOSE_CODES as CODES } from "../../src/live/live-close-codes.js";
import { REVOKE_GROUP } from "../../src/live/revoke-message.js";
import { closed, connect, startServer } from "../../src/server/test-server.js";
import { InMemorySessionStore } from "../../src/stores/in-memory-session-store.js";
import { SqliteDatabase } from "../../src/stores/sqlite-database.js";
import { SqlUserStore } from "../../src/users/sql-user-store.js";
import type { User } from "../../src/users/user.js";
import { createUser, liveApp, loggedIn, passwords, postHeaders, stillOpen } from "./live-app.js";

// Re-validation is a minute away in every server here, so only the published revoke can close a
// socket within a test.
const LATE = 60_000;

describe(
  "setPassword, deactivateUser and deleteUser over real sockets",
  { timeout: 10_000 },
  () => {
    const db = new SqliteDatabase(":memory:");
    const users = new SqlUserStore(db);
    const store = new InMemorySessionStore();
    let bob: User;

    before(async () => {
      await users.migrate();
      bob = await createUser(users, "bob");
    });
    after(() => db.close());

    /** Two servers on one layer, as two processes on one Redis. */
    async function twoServers(t: TestContext, layer = new InMemoryChannelLayer()) {
      const options = { liveSessions: { channelLayer: layer, revalidateIntervalMs: LATE } };
      const servers = [
        await startServer(t, liveApp(users, store), options),
        await startServer(t, liveApp(users, store), options),
      ] as const;
      const open = (server: 0 | 1, key: string) =>
        connect(servers[server].wsUrl("/ws/"), [], { headers: { cookie: `sessionid=${key}` } });
      await new Promise((resolve) => setTimeout(resolve, 50)); // both listeners joined the group
      return { servers, open };
    }

    const calls: Array<[string, string, (user: User) => Promise<void>]> = [
      [
        "setPassword",
        "password changed",
        async (user) => {
          const stored = await users.getById(user.id);
          assert.ok(await passwords.verify("new", stored?.passwordHash ?? ""));
        },
      ],
      [
        "deactivateUser",
        "account deactivated",
        async (user) => assert.equal((await users.getById(user.id))?.isActive, false),
      ],
      [
        "deleteUser",
        "account deleted",
        async (user) => assert.equal(await users.getById(user.id), null),
      ],
    ];
    const routes: Record<string, string> = {
      setPassword: "password",
      deactivateUser: "deactivate",
      deleteUser: "delete",
    };

    for (const [name, reason, stored] of calls) {
      test(`${name} closes every socket of the user, on both servers, with 4002 at once, and no other user's`, async (t) => {
        const { servers, open } = await twoServers(t);
        const carl = await createUser(users, `carl-${name}`);
        const [first, second] = [
          await loggedIn(store, users, carl),
          await loggedIn(store, users, carl),
        ];
        const carls = [await open(0, first), await open(0, second), await open(1, second)];
        const bobs = [
          await open(0, await loggedIn(store, users, bob)),
          await open(1, await loggedIn(store, users, bob)),
        ];
        const closes = Promise.all(carls.map(closed));
        const response = await fetch(`${servers[0].handle.url}/admin/${routes[name]}/${carl.id}/`, {
          method: "POST",
          headers: postHeaders(),
        });
        assert.equal(response.status, 200);
        for (const close of await closes) {
          assert.deepEqual(close, { code: CODES.credentialsChanged, reason });
        }
        await stored(carl);
        await new Promise((resolve) => setTimeout(resolve, 50));
        for (const socket of bobs) assert.equal(socket.readyState, socket.OPEN);
        for (const socket of bobs) socket.close();
      });
    }

    test("setPassword with keepCurrentSession keeps the caller's session and its sockets on both servers, and closes the others with 4002", async (t) => {
      const { servers, open } = await twoServers(t);
      const erin = await createUser(users, "erin");
      const [current, other] = [
        await loggedIn(store, users, erin),
        await loggedIn(store, users, erin),
      ];
      const kept = [await open(0, current), await open(1, current)];
      const ended = [await open(0, other), await open(1, other)];
      const closes = Promise.all(ended.map(closed));
      const response = await fetch(`${servers[0].handle.url}/admin/password/${erin.id}/?keep`, {
        method: "POST",
        headers: postHeaders(current),
      });
      assert.equal(response.status, 200);
      for (const close of await closes) {
        assert.deepEqual(close, { code: CODES.credentialsChanged, reason: "password changed" });
      }
      // each server closed the other session's sockets in the same pass that spared these
      for (const socket of kept) assert.equal(await stillOpen(socket), true);
      // re-validation asks the stores, where the kept session now holds the new auth hash
      for (const server of servers) await server.handle.liveSessions.revalidateAll();
      for (const socket of kept) assert.equal(await stillOpen(socket), true);
      assert.ok(await passwords.verify("new", (await users.getById(erin.id))?.passwordHash ?? ""));
      (await open(1, current)).close();
      await assert.rejects(open(1, other), /refused with 403/);
      for (const socket of kept) socket.close();
    });

    test("setPassword with keepCurrentSession for another user than the caller changes nothing", async (t) => {
      const { servers, open } = await twoServers(t);
      const fay = await createUser(users, "fay");
      const caller = await loggedIn(store, users, await createUser(users, "gus"));
      const faysSocket = await open(0, await loggedIn(store, users, fay));
      const response = await fetch(`${servers[0].handle.url}/admin/password/${fay.id}/?keep`, {
        method: "POST",
        headers: postHeaders(caller),
      });
      assert.equal(response.status, 500);
      await response.text();
      assert.match(
        String(servers[0].logger.errors[0]?.error),
        /ImproperlyConfigured: .*scope.user must be the logged-in user whose password changes/,
      );
      assert.ok(await passwords.verify("pw", (await users.getById(fay.id))?.passwordHash ?? ""));
      assert.equal(await stillOpen(faysSocket), true);
      faysSocket.close();
    });

    test("deactivateUser outside a server (a worker) publishes on the default layer", async (t) => {
      const layer = new InMemoryChannelLayer();
      setChannelLayer(layer);
      t.after(() => setChannelLayer(null));
      const { open } = await twoServers(t, layer);
      const dave = await createUser(users, "dave");
      const close = closed(await open(1, await loggedIn(store, users, dave)));
      const updated = await deactivateUser({ type: "channel", channel: "admin" }, users, dave);
      assert.equal(updated?.isActive, false);
      assert.deepEqual(await close, {
        code: CODES.credentialsChanged,
        reason: "account deactivated",
      });
    });

    test("a call for a user that does not exist resolves null or false and publishes nothing", async (t) => {
      const layer = new InMemoryChannelLayer();
      setChannelLayer(layer);
      t.after(() => setChannelLayer(null));
      const listener = await layer.newChannel("listener");
      await layer.groupAdd(REVOKE_GROUP, listener);
      const scope = { type: "channel", channel: "admin" } as const;
      const nobody = { id: 987654 };
      assert.equal(await setPassword(scope, users, nobody, "x", { passwords }), null);
      assert.equal(await deactivateUser(scope, users, nobody), null);
      assert.equal(await deleteUser(scope, users, nobody), false);
      await deactivateUser(scope, users, bob);
      assert.equal(
        (await layer.receive(listener)).user,
        String(bob.id),
        "only bob's revoke was sent",
      );
    });
  },
);
