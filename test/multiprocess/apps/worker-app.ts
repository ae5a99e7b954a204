/**
 * A worker application for tests: on the `thumbnails` channel, `thumbnail.make` is answered on its
 * `replyTo` channel and `thumbnail.fail` throws. The layer is Redis under `SB_LAYER_PREFIX` when
 * set (child processes), else in memory (in-process tests).
 */
import {
  channelNameRouter,
  Consumer,
  InMemoryChannelLayer,
  setChannelLayer,
} from "../../../src/index.js";
import type { ChannelMessage, ChannelScope } from "../../../src/index.js";
import { RedisChannelLayer } from "../../../src/redis.js";

const prefix = process.env.SB_LAYER_PREFIX;
setChannelLayer(
  prefix
    ? new RedisChannelLayer({ redis: process.env.REDIS_URL, prefix })
    : new InMemoryChannelLayer(),
);

class Thumbnailer extends Consumer<ChannelScope> {
  async thumbnailMake(message: ChannelMessage) {
    await this.channelLayer!.send(String(message.replyTo), {
      type: "thumbnail.done",
      id: message.id,
      pid: process.pid,
    });
  }

  thumbnailFail(message: ChannelMessage) {
    throw new Error(`asked to fail: ${String(message.id)}`);
  }
}

export const application = channelNameRouter({ thumbnails: Thumbnailer.asApp() });
