/**
 * A worker application for tests: the `thumbnails` channel answers each `thumbnail.make` message
 * on its `replyTo` channel. The layer is Redis under `SB_LAYER_PREFIX` when set (child
 * processes), else in memory (in-process tests).
 */
import {
  channelNameRouter,
  getChannelLayer,
  InMemoryChannelLayer,
  setChannelLayer,
} from "../../../src/index.js";
import { RedisChannelLayer } from "../../../src/redis.js";
import type { ChannelScope } from "../../../src/index.js";

const prefix = process.env.SB_LAYER_PREFIX;
setChannelLayer(
  prefix
    ? new RedisChannelLayer({
        redis: process.env.REDIS_URL,
        prefix,
        connectionName: process.env.SB_CONNECTION_NAME,
      })
    : new InMemoryChannelLayer(),
);

async function thumbnails(scope: ChannelScope): Promise<void> {
  const layer = getChannelLayer()!;
  for (;;) {
    const message = await layer.receive(scope.channel);
    if (message.type === "thumbnail.fail") throw new Error(`asked to fail: ${String(message.id)}`);
    await layer.send(String(message.replyTo), {
      type: "thumbnail.done",
      id: message.id,
      pid: process.pid,
    });
  }
}

export const application = channelNameRouter({ thumbnails });
