// Runs the ChannelLayer contract against every layer. Filter with LAYERS=memory,redis.
import { REDIS_URL, serviceSkip, uniquePrefix } from "../../test/support/services.js";
import { channelLayerContract } from "./channel-layer.contract.js";
import { InMemoryChannelLayer } from "./in-memory-channel-layer.js";
import { RedisChannelLayer } from "./redis-channel-layer.js";

const selected = (process.env.LAYERS ?? "memory,redis").split(",");

if (selected.includes("memory")) {
  channelLayerContract("memory", async (options) => new InMemoryChannelLayer(options));
}
if (selected.includes("redis")) {
  channelLayerContract(
    "redis",
    async (options) =>
      new RedisChannelLayer({ ...options, redis: REDIS_URL, prefix: uniquePrefix("layer") }),
    await serviceSkip("redis"),
  );
}
