import {
  InMemoryChannelLayer,
  SqlSessionStore,
  SqlTicketStore,
  type ChannelLayer,
  type SessionStore,
  type SqlDatabase,
  type TicketStore,
} from "switchboard";
import type { ChatSettings } from "./settings.js";

/**
 * What every process serving the same rooms must share: sessions, single-use tickets (session
 * hand-offs) and the channel layer.
 */
export interface SharedState {
  sessions: SessionStore;
  tickets: TicketStore;
  layer: ChannelLayer;
  close(): Promise<void>;
}

/**
 * Sessions and tickets in the database and an in-memory layer (one process), or all of them in Redis when
 * `settings.redisUrl` is set (any number of processes). `ioredis` is only loaded for Redis.
 */
export async function openSharedState(
  settings: ChatSettings,
  db: SqlDatabase,
): Promise<SharedState> {
  if (settings.redisUrl === null) {
    const sessions = new SqlSessionStore(db);
    const tickets = new SqlTicketStore(db);
    await sessions.migrate();
    await tickets.migrate();
    const layer = new InMemoryChannelLayer();
    return { sessions, tickets, layer, close: () => layer.close() };
  }
  const [{ Redis }, { RedisChannelLayer, RedisSessionStore, RedisTicketStore }] = await Promise.all(
    [import("ioredis"), import("switchboard/redis")],
  );
  const { redisUrl, redisPrefix } = settings;
  const client = new Redis(redisUrl);
  const sessions = new RedisSessionStore({ client, prefix: `${redisPrefix}session:` });
  const tickets = new RedisTicketStore({ client, prefix: `${redisPrefix}ticket:` });
  const layer = new RedisChannelLayer({ redis: redisUrl, prefix: `${redisPrefix}layer:` });
  return {
    sessions,
    tickets,
    layer,
    async close() {
      await layer.close();
      await client.quit();
    },
  };
}
