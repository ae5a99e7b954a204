import {
  InMemoryChannelLayer,
  SqlSessionStore,
  type ChannelLayer,
  type SessionStore,
  type SqlDatabase,
} from "switchboard";
import type { ChatSettings } from "./settings.js";

/** What every process serving the same rooms must share: sessions and the channel layer. */
export interface SharedState {
  sessions: SessionStore;
  layer: ChannelLayer;
  close(): Promise<void>;
}

/**
 * Sessions in the database and an in-memory layer (one process), or both in Redis when
 * `settings.redisUrl` is set (any number of processes). `ioredis` is only loaded for Redis.
 */
export async function openSharedState(
  settings: ChatSettings,
  db: SqlDatabase,
): Promise<SharedState> {
  if (settings.redisUrl === null) {
    const sessions = new SqlSessionStore(db);
    await sessions.migrate();
    const layer = new InMemoryChannelLayer();
    return { sessions, layer, close: () => layer.close() };
  }
  const [{ Redis }, { RedisChannelLayer, RedisSessionStore }] = await Promise.all([
    import("ioredis"),
    import("switchboard/redis"),
  ]);
  const { redisUrl, redisPrefix } = settings;
  const client = new Redis(redisUrl);
  const sessions = new RedisSessionStore({ client, prefix: `${redisPrefix}session:` });
  const layer = new RedisChannelLayer({ redis: redisUrl, prefix: `${redisPrefix}layer:` });
  return {
    sessions,
    layer,
    async close() {
      await layer.close();
      await client.quit();
    },
  };
}
