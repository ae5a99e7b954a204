/**
 * The seed's routing block served over a real socket, with its users and sessions in real stores:
 * SQLite for both, or Redis sessions with PostgreSQL users. `close()` stops the server and drops
 * everything the fixture created.
 */
import { Redis } from "ioredis";
import { authMiddlewareStack } from "../../src/auth/auth-middleware-stack.js";
import { ModelBackend } from "../../src/auth/model-backend.js";
import { Passwords } from "../../src/auth/passwords.js";
import { ScryptHasher } from "../../src/auth/scrypt-hasher.js";
import { protocolTypeRouter } from "../../src/routing/protocol-type-router.js";
import { rePath } from "../../src/routing/re-path.js";
import { urlRouter } from "../../src/routing/url-router.js";
import { silentLogger } from "../../src/server/logger.js";
import { serve } from "../../src/server/serve.js";
import { RedisSessionStore } from "../../src/stores/redis-session-store.js";
import type { SessionStore } from "../../src/stores/session-store.js";
import { SqlSessionStore } from "../../src/stores/sql-session-store.js";
import { SqlUserStore } from "../../src/users/sql-user-store.js";
import type { User } from "../../src/users/user.js";
import { TEST_DATABASES } from "../support/databases.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "../support/services.js";
import { ChatConsumer, loginConsumers } from "./consumers.js";

export const SECRET_KEY = "seed-secret-key-0123456789abcdefghijkl";

/** Where sessions and users live for one run of the seed tests. */
export interface SeedStores {
  sessions: "sqlite" | "redis";
  users: "sqlite" | "postgres";
}

export const SEED_STORES: readonly SeedStores[] = [
  { sessions: "sqlite", users: "sqlite" },
  { sessions: "redis", users: "postgres" },
];

export interface SeedApp {
  /** `ws://host:port` */
  wsUrl: string;
  users: SqlUserStore;
  sessions: SessionStore;
  passwords: Passwords;
  createUser(username: string, password: string): Promise<User>;
  close(): Promise<void>;
}

/** `false` when every service these stores need is up, else why the tests are skipped. */
export async function seedSkip(stores: SeedStores): Promise<string | false> {
  return (
    (stores.sessions === "redis" && (await serviceSkip("redis"))) ||
    (await TEST_DATABASES[stores.users].skip())
  );
}

export async function openSeedApp(stores: SeedStores): Promise<SeedApp> {
  const database = await TEST_DATABASES[stores.users].open("seed");
  const users = new SqlUserStore(database.db);
  await users.migrate();
  let redis: Redis | null = null;
  const prefix = uniquePrefix("seed");
  let sessions: SessionStore;
  if (stores.sessions === "redis") {
    redis = new Redis(REDIS_URL);
    sessions = new RedisSessionStore({ client: redis, prefix });
  } else {
    const sql = new SqlSessionStore(database.db);
    await sql.migrate();
    sessions = sql;
  }
  // Cheap scrypt parameters keep logins fast; the hashing path is the production one.
  const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
  const backends = [new ModelBackend({ users, passwords })];
  const { AsyncLoginConsumer, SyncLoginConsumer, LogoutConsumer } = loginConsumers(backends);

  // The seed's routing block, plus the login and logout consumers of its later blocks.
  const application = protocolTypeRouter({
    websocket: authMiddlewareStack(
      urlRouter([
        rePath(/^front(end)\/$/, ChatConsumer.asApp()),
        rePath(/^login\/$/, AsyncLoginConsumer.asApp()),
        rePath(/^sync-login\/$/, SyncLoginConsumer.asApp()),
        rePath(/^logout\/$/, LogoutConsumer.asApp()),
      ]),
      { store: sessions, backends, secretKey: SECRET_KEY },
    ),
  });
  const server = await serve(application, { port: 0, logger: silentLogger });

  return {
    wsUrl: server.url.replace(/^http/, "ws"),
    users,
    sessions,
    passwords,
    async createUser(username, password) {
      return users.create({ username, passwordHash: await passwords.hash(password) });
    },
    async close() {
      await server.close();
      if (redis !== null) {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
        await redis.quit();
      }
      await database.dispose();
    },
  };
}
