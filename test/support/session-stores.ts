/**
 * Every session store the tests can reach, opened fresh with a dispose that removes what it made.
 * In-memory and SQLite always; PostgreSQL and Redis skipped (or failed under CI) without the
 * service. Filter with `STORES=memory,sqlite,postgres,redis`.
 */
import { Redis } from "ioredis";
import { InMemorySessionStore } from "../../src/stores/in-memory-session-store.js";
import { RedisSessionStore } from "../../src/stores/redis-session-store.js";
import type { SessionStore } from "../../src/stores/session-store.js";
import { SqlSessionStore } from "../../src/stores/sql-session-store.js";
import { storeSelected, TEST_DATABASES } from "./databases.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "./services.js";

export interface OpenSessionStore {
  store: SessionStore;
  dispose(): Promise<void>;
}

export interface SessionStoreKind {
  name: string;
  /** `false` when usable, else why the tests are skipped. */
  skip(): Promise<string | false>;
  open(): Promise<OpenSessionStore>;
}

async function sqlStore(kind: "sqlite" | "postgres"): Promise<OpenSessionStore> {
  const { db, dispose } = await TEST_DATABASES[kind].open("sessions");
  const store = new SqlSessionStore(db);
  await store.migrate();
  return { store, dispose };
}

/** A Redis session store under a key prefix of its own, which dispose() empties. */
export async function openRedisSessionStore(): Promise<
  OpenSessionStore & { client: Redis; prefix: string }
> {
  const client = new Redis(REDIS_URL);
  const prefix = uniquePrefix("sessions");
  return {
    client,
    prefix,
    store: new RedisSessionStore({ client, prefix }),
    async dispose() {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    },
  };
}

const KINDS: SessionStoreKind[] = [
  {
    name: "memory",
    skip: async () => false,
    open: async () => ({ store: new InMemorySessionStore(), dispose: async () => {} }),
  },
  { name: "sqlite", skip: () => TEST_DATABASES.sqlite.skip(), open: () => sqlStore("sqlite") },
  {
    name: "postgres",
    skip: () => TEST_DATABASES.postgres.skip(),
    open: () => sqlStore("postgres"),
  },
  { name: "redis", skip: () => serviceSkip("redis"), open: openRedisSessionStore },
];

/** The store kinds the `STORES` filter selects. */
export const SESSION_STORES: SessionStoreKind[] = KINDS.filter((kind) => storeSelected(kind.name));
