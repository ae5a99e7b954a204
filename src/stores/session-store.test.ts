// The SessionStore contract, run against every implementation, directly and through Session.
// Filter with STORES=memory,sqlite,postgres,redis.
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { storeSelected, TEST_DATABASES } from "../../test/support/databases.js";
import { serviceSkip } from "../../test/support/services.js";
import { openRedisSessionStore } from "../../test/support/session-stores.js";
import { BackendUnavailable, ImproperlyConfigured, SessionInterrupted } from "../errors.js";
import { newSessionKey } from "../sessions/session-key.js";
import { sessionKeyHash } from "../sessions/session-key-hash.js";
import { Session } from "../sessions/session.js";
import { InMemorySessionStore } from "./in-memory-session-store.js";
import { PostgresDatabase } from "./postgres-database.js";
import { RedisSessionStore } from "./redis-session-store.js";
import type { SessionStore } from "./session-store.js";
import { SqlSessionStore } from "./sql-session-store.js";
import { SqliteDatabase } from "./sqlite-database.js";

interface Fixture {
  store: SessionStore;
  /** Removes everything the fixture made and closes its connections. */
  dispose(): Promise<void>;
  /** SQL stores: a store on the same database whose table was never created. */
  unmigrated?: SessionStore;
  /** The session names a dump of the backend shows; absent for the in-process store. */
  dump?(): Promise<string[]>;
  /** Writes a session as versions before hashed keys did: under its raw key. */
  writeUnhashed?(key: string, data: string, expiresAt: Date): Promise<void>;
  /** What moves sessions written by `writeUnhashed` to their hashes, if not the store itself. */
  upgrade?(): Promise<void>;
}

interface StoreKind {
  skip(): Promise<string | false>;
  open(): Promise<Fixture>;
  /** A store whose backend is down; absent for the in-process store. */
  broken?(): Promise<Fixture>;
  /** A SqlSessionStore: its fixture has `unmigrated`. */
  sql?: boolean;
  /** Expires entries by itself, so clearExpired() has nothing to remove. */
  expiresNatively?: boolean;
}

async function sqlStore(kind: "sqlite" | "postgres"): Promise<Fixture> {
  const { db, dispose } = await TEST_DATABASES[kind].open("sessions");
  const store = new SqlSessionStore(db);
  await store.migrate();
  await store.migrate(); // idempotent
  const unmigrated = new SqlSessionStore(db, { table: "never_migrated" });
  return {
    store,
    dispose,
    unmigrated,
    async dump() {
      const rows = await db.query<{ session_key: string }>(
        "SELECT session_key FROM switchboard_sessions",
      );
      return rows.map((row) => row.session_key);
    },
    async writeUnhashed(key, data, expiresAt) {
      await db.execute(
        "INSERT INTO switchboard_sessions (session_key, session_data, expires_at) VALUES ($1, $2, $3)",
        [key, data, expiresAt.getTime()],
      );
    },
    upgrade: () => store.migrate(),
  };
}

const KINDS: Record<string, StoreKind> = {
  memory: {
    skip: async () => false,
    open: async () => ({ store: new InMemorySessionStore(), dispose: async () => {} }),
  },
  sqlite: {
    skip: () => TEST_DATABASES.sqlite.skip(),
    sql: true,
    open: () => sqlStore("sqlite"),
    async broken() {
      const db = new SqliteDatabase(":memory:");
      await db.close();
      return { store: new SqlSessionStore(db), dispose: async () => {} };
    },
  },
  postgres: {
    skip: () => TEST_DATABASES.postgres.skip(),
    sql: true,
    open: () => sqlStore("postgres"),
    async broken() {
      const db = new PostgresDatabase({ connectionString: "postgres://postgres@127.0.0.1:1/none" });
      return { store: new SqlSessionStore(db), dispose: () => db.close() };
    },
  },
  redis: {
    skip: () => serviceSkip("redis"),
    expiresNatively: true,
    async open() {
      const opened = await openRedisSessionStore();
      const { client, prefix } = opened;
      return {
        ...opened,
        async dump() {
          return (await client.keys(`${prefix}*`)).map((name) => name.slice(prefix.length));
        },
        async writeUnhashed(key, data, expiresAt) {
          await client.set(prefix + key, data, "PX", expiresAt.getTime() - Date.now());
        },
      };
    },
    async broken() {
      const client = new Redis({
        port: 1,
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      return { store: new RedisSessionStore({ client }), dispose: async () => client.disconnect() };
    },
  },
};

const inOneMinute = () => new Date(Date.now() + 60_000);
const aSecondAgo = () => new Date(Date.now() - 1000);

for (const [name, kind] of Object.entries(KINDS)) {
  if (!storeSelected(name)) continue;
  describe(`SessionStore contract: ${name}`, { skip: await kind.skip() }, () => {
    let fixture: Fixture;
    let store: SessionStore;
    before(async () => {
      fixture = await kind.open();
      store = fixture.store;
    });
    after(() => fixture.dispose());

    test("creates a session and loads its data and expiry back", async () => {
      const key = await newSessionKey();
      const expiresAt = inOneMinute();
      assert.equal(await store.save(key, '{"a":1}', expiresAt, true), true);
      const record = await store.load(key);
      assert.equal(record?.data, '{"a":1}');
      assert.ok(Math.abs((record?.expiresAt.getTime() ?? 0) - expiresAt.getTime()) < 1000);
      assert.equal(await store.exists(key), true);
    });

    test("refuses mustCreate on a taken key and keeps the first data", async () => {
      const key = await newSessionKey();
      await store.save(key, '"first"', inOneMinute(), true);
      assert.equal(await store.save(key, '"second"', inOneMinute(), true), false);
      assert.equal((await store.load(key))?.data, '"first"');
    });

    test("refuses an update of a missing key without creating it", async () => {
      const key = await newSessionKey();
      assert.equal(await store.save(key, "{}", inOneMinute(), false), false);
      assert.equal(await store.load(key), null);
      assert.equal(await store.exists(key), false);
    });

    test("updates an existing key's data and expiry", async () => {
      const key = await newSessionKey();
      await store.save(key, '"old"', inOneMinute(), true);
      const later = new Date(Date.now() + 3_600_000);
      assert.equal(await store.save(key, '"new"', later, false), true);
      const record = await store.load(key);
      assert.equal(record?.data, '"new"');
      assert.ok(Math.abs((record?.expiresAt.getTime() ?? 0) - later.getTime()) < 1000);
    });

    test("deletes a key, and deleting a missing key is not an error", async () => {
      const key = await newSessionKey();
      await store.save(key, "{}", inOneMinute(), true);
      await store.delete(key);
      assert.equal(await store.load(key), null);
      assert.equal(await store.exists(key), false);
      await store.delete(key);
    });

    test("never returns a session saved already expired", async () => {
      const created = await newSessionKey();
      await store.save(created, "{}", aSecondAgo(), true);
      assert.equal(await store.load(created), null);
      assert.equal(await store.exists(created), false);
      const updated = await newSessionKey();
      await store.save(updated, "{}", inOneMinute(), true);
      await store.save(updated, "{}", aSecondAgo(), false);
      assert.equal(await store.load(updated), null);
    });

    test("stops returning a session once its short expiry passes", async () => {
      const key = await newSessionKey();
      const expiresAt = new Date(Date.now() + 50);
      await store.save(key, "{}", expiresAt, true);
      while (Date.now() <= expiresAt.getTime() + 5) await sleep(20);
      assert.equal(await store.load(key), null);
      assert.equal(await store.exists(key), false);
      // An expired key counts as absent: not updatable, free for a new session.
      assert.equal(await store.save(key, "{}", inOneMinute(), false), false);
      assert.equal(await store.save(key, "{}", inOneMinute(), true), true);
    });

    test("clearExpired removes expired sessions and keeps live ones", async () => {
      await store.clearExpired();
      const live = await newSessionKey();
      await store.save(live, '"live"', inOneMinute(), true);
      for (let i = 0; i < 2; i++) await store.save(await newSessionKey(), "{}", aSecondAgo(), true);
      assert.equal(await store.clearExpired(), kind.expiresNatively ? 0 : 2);
      assert.equal(await store.clearExpired(), 0);
      assert.equal((await store.load(live))?.data, '"live"');
    });

    test("round-trips unicode and nested data through Session", async () => {
      const value = {
        text: 'naïve café ✓ 日本語 🎉 \u0000 "quotes" \\ \'; DROP TABLE',
        nested: { list: [1, 2.5, -3, true, null, { deep: ["x"] }], empty: {} },
        big: Number.MAX_SAFE_INTEGER,
      };
      const writer = new Session(store);
      await writer.set("value", value);
      await writer.set("__proto__", "not a prototype");
      await writer.save();
      const reader = new Session(store, writer.sessionKey);
      assert.deepEqual(await reader.get("value"), value);
      assert.equal(await reader.get("__proto__"), "not a prototype");
      assert.deepEqual((await reader.keys()).sort(), ["__proto__", "value"]);
    });

    test("cycleKey keeps the data under a new key and deletes the old one", async () => {
      const session = new Session(store);
      await session.set("user", 7);
      await session.save();
      const oldKey = session.sessionKey ?? "";
      await session.cycleKey();
      const newKey = session.sessionKey ?? "";
      assert.notEqual(newKey, oldKey);
      assert.equal(await store.exists(oldKey), false);
      assert.equal(await new Session(store, newKey).get("user"), 7);
    });

    test("flush deletes the stored session and drops the key", async () => {
      const session = new Session(store);
      await session.set("user", 7);
      await session.save();
      const key = session.sessionKey ?? "";
      await session.flush();
      assert.equal(session.sessionKey, null);
      assert.equal(await store.exists(key), false);
    });

    test("saving a session deleted meanwhile rejects with SessionInterrupted", async () => {
      const first = new Session(store);
      await first.set("n", 1);
      await first.save();
      const mine = new Session(store, first.sessionKey);
      await mine.set("n", 2);
      await new Session(store, first.sessionKey).flush();
      await assert.rejects(mine.save(), SessionInterrupted);
      assert.equal(await store.exists(first.sessionKey ?? ""), false);
    });

    test("an unknown key loads empty and saves under a new key, never the client's", async () => {
      const planted = await newSessionKey();
      const session = new Session(store, planted);
      assert.equal(await session.get("user"), undefined);
      await session.set("user", 1);
      await session.save();
      assert.notEqual(session.sessionKey, planted);
      assert.equal(await store.exists(planted), false);
    });

    test("keeps the key's hash, never the key, so a dump holds no session key", async (t) => {
      if (!fixture.dump) return t.skip("an in-process Map leaves no dump");
      const key = await newSessionKey();
      await store.save(key, '"secret"', inOneMinute(), true);
      const names = await fixture.dump();
      assert.ok(names.includes(sessionKeyHash(key)));
      assert.ok(!names.includes(key));
      assert.ok(names.every((name) => !name.includes(key)));
    });

    test("a name read from a dump loads no session and updates none", async () => {
      const key = await newSessionKey();
      await store.save(key, '"secret"', inOneMinute(), true);
      const names = fixture.dump ? await fixture.dump() : [sessionKeyHash(key)];
      assert.ok(names.length > 0);
      for (const name of names) {
        assert.equal(await store.load(name), null);
        assert.equal(await store.exists(name), false);
        assert.equal(await store.save(name, '"forged"', inOneMinute(), false), false);
        assert.equal(await new Session(store, name).get("user"), undefined);
      }
      assert.equal((await store.load(key))?.data, '"secret"');
    });

    if (kind.sql || name === "redis") {
      test("a session written under its raw key by an earlier version loads, and is moved to its hash", async () => {
        const { writeUnhashed, dump } = fixture;
        assert.ok(writeUnhashed && dump);
        const key = await newSessionKey();
        const expiresAt = inOneMinute();
        await writeUnhashed(key, '{"user":"7"}', expiresAt);
        await fixture.upgrade?.();
        const record = await store.load(key);
        assert.equal(record?.data, '{"user":"7"}');
        assert.ok(Math.abs((record?.expiresAt.getTime() ?? 0) - expiresAt.getTime()) < 1000);
        const names = await dump();
        assert.ok(names.includes(sessionKeyHash(key)));
        assert.ok(!names.includes(key));
        assert.equal(await new Session(store, key).get("user"), "7");
      });
    }

    if (kind.sql) {
      test("migrate moves every row written under a raw key, past one batch, and again finds none", async () => {
        const { writeUnhashed, dump } = fixture;
        assert.ok(writeUnhashed && dump);
        const keys = await Promise.all(Array.from({ length: 501 }, () => newSessionKey()));
        for (const key of keys) await writeUnhashed(key, "{}", inOneMinute());
        await fixture.upgrade?.();
        await fixture.upgrade?.();
        const names = new Set(await dump());
        assert.ok(keys.every((key) => names.has(sessionKeyHash(key)) && !names.has(key)));
        assert.ok([...names].every((name) => /^[0-9a-f]{64}$/.test(name)));
        assert.equal(await store.exists(keys[500] ?? ""), true);
      });
    }

    if (name === "redis") {
      test("deleting a session not yet moved to its hash removes it under its raw key", async () => {
        const { writeUnhashed, dump } = fixture;
        assert.ok(writeUnhashed && dump);
        const key = await newSessionKey();
        await writeUnhashed(key, "{}", inOneMinute());
        await store.delete(key);
        assert.ok(!(await dump()).includes(key));
        assert.equal(await store.load(key), null);
      });
    }

    if (kind.sql) {
      test("a SQL store whose table was never created says to run migrate", async () => {
        const unmigrated = fixture.unmigrated;
        assert.ok(unmigrated);
        await assert.rejects(unmigrated.load(await newSessionKey()), ImproperlyConfigured);
        await assert.rejects(unmigrated.clearExpired(), /switchboard migrate/);
      });
    }

    if (kind.broken) {
      const openBroken = kind.broken;
      test("a backend that is down rejects with BackendUnavailable, never an empty session", async () => {
        const broken = await openBroken();
        try {
          const key = await newSessionKey();
          const session = new Session(broken.store, key);
          await assert.rejects(session.get("user"), BackendUnavailable);
          assert.equal(session.isLoaded, false);
          assert.equal(session.sessionKey, key);
          await assert.rejects(session.set("user", 1), BackendUnavailable);
          await assert.rejects(session.save(), BackendUnavailable);
          await assert.rejects(
            broken.store.save(key, "{}", inOneMinute(), true),
            BackendUnavailable,
          );
          await assert.rejects(broken.store.delete(key), BackendUnavailable);
        } finally {
          await broken.dispose();
        }
      });
    }
  });
}
