/**
 * What the SessionStore contract (`src/stores/session-store.contract.ts`) opens for each store:
 * the store, plus the backend's own view of it (a dump, rows written as earlier versions did) and
 * a copy whose backend is down. Filter with `STORES=memory,sqlite,postgres,redis`.
 */
import { Redis } from "ioredis";
import { PostgresDatabase } from "../../src/stores/postgres-database.js";
import { InMemorySessionStore } from "../../src/stores/in-memory-session-store.js";
import { RedisSessionStore } from "../../src/stores/redis-session-store.js";
import type { SessionStore } from "../../src/stores/session-store.js";
import { SqlSessionStore } from "../../src/stores/sql-session-store.js";
import { SqliteDatabase } from "../../src/stores/sqlite-database.js";
import { TEST_DATABASES } from "./databases.js";
import { serviceSkip } from "./services.js";
import { openRedisSessionStore } from "./session-stores.js";

export interface SessionStoreFixture {
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

export interface SessionStoreFixtureKind {
  skip(): Promise<string | false>;
  open(): Promise<SessionStoreFixture>;
  /** A store whose backend is down; absent for the in-process store. */
  broken?(): Promise<SessionStoreFixture>;
  /** A SqlSessionStore: its fixture has `unmigrated`. */
  sql?: boolean;
  /** Expires entries by itself, so clearExpired() has nothing to remove. */
  expiresNatively?: boolean;
}

async function sqlStore(kind: "sqlite" | "postgres"): Promise<SessionStoreFixture> {
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

/** Every store kind by name, unfiltered: the contract applies `STORES` itself. */
export const SESSION_STORE_FIXTURES: Record<string, SessionStoreFixtureKind> = {
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

export const inOneMinute = () => new Date(Date.now() + 60_000);
export const aSecondAgo = () => new Date(Date.now() - 1000);
