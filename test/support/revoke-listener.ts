import type { TestContext } from "node:test";
import { RedisChannelLayer } from "../../src/layers/redis-channel-layer.js";
import { REVOKE_GROUP } from "../../src/live/revoke-message.js";
import type { ChannelMessage } from "../../src/types/asgi.js";
import { REDIS_URL, uniquePrefix } from "./services.js";

/**
 * Listens to the servers' revoke group on Redis, as a server does, under a prefix of its own
 * (flushed and closed after the test): give `prefix` to the CLI's `--redis-prefix`, then `next()`
 * is the message it published (or rejects after 5 s).
 */
export async function revokeListener(
  t: TestContext,
  name: string,
): Promise<{ prefix: string; next(): Promise<ChannelMessage> }> {
  const prefix = uniquePrefix(name);
  const layer = new RedisChannelLayer({ redis: REDIS_URL, prefix });
  t.after(async () => {
    await layer.flush();
    await layer.close();
  });
  const channel = await layer.newChannel("server");
  await layer.groupAdd(REVOKE_GROUP, channel);
  return { prefix, next: () => layer.receive(channel, AbortSignal.timeout(5000)) };
}
