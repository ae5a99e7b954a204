/**
 * The app the live-session multi-process test serves: test/live/live-app.ts with sessions and the
 * channel layer on Redis and users in a SQLite file, so two processes share all three. Configured
 * by the environment the test sets: `REDIS_URL`, `SB_LAYER_PREFIX`, `SB_DB`.
 */
import { Redis } from "ioredis";
import { setChannelLayer } from "../../../src/index.js";
import { RedisChannelLayer, RedisSessionStore } from "../../../src/redis.js";
import { SqliteDatabase } from "../../../src/stores/sqlite-database.js";
import { SqlUserStore } from "../../../src/users/sql-user-store.js";
import { liveApp } from "../../live/live-app.js";

const prefix = process.env.SB_LAYER_PREFIX ?? "live";
setChannelLayer(new RedisChannelLayer({ redis: process.env.REDIS_URL, prefix }));
const store = new RedisSessionStore({
  client: new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379"),
  prefix: `${prefix}:session:`,
});

export const application = liveApp(
  new SqlUserStore(new SqliteDatabase(process.env.SB_DB ?? "")),
  store,
);
