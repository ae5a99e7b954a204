// What RedisChannelLayer adds to the contract: several processes, dead members, outages.
import assert from "node:assert/strict";
import { setMaxListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test, type TestContext } from "node:test";
import { Redis } from "ioredis";
import { killRedisClients, redisClientNames } from "../../test/multiprocess/kill-redis-clients.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "../../test/support/services.js";
import { BackendUnavailable } from "../errors.js";
import { RedisChannelLayer, type RedisChannelLayerOptions } from "./redis-channel-layer.js";

const skip = await serviceSkip("redis");

/** Layers sharing one prefix, as processes of one deployment do; all closed and flushed after. */
function deployment(t: TestContext, options: RedisChannelLayerOptions = {}) {
  const prefix = uniquePrefix("redislayer");
  const name = prefix.replace(/:/g, "-");
  const layers: RedisChannelLayer[] = [];
  t.after(async () => {
    await layers[0]?.flush();
    await Promise.all(layers.map((layer) => layer.close()));
  });
  return {
    name,
    prefix,
    open(label = "p") {
      const layer = new RedisChannelLayer({
        ...options,
        redis: REDIS_URL,
        prefix,
        connectionName: `${name}${label}`,
      });
      layers.push(layer);
      return layer;
    },
  };
}

describe("RedisChannelLayer", { skip }, () => {
  test("delivers a group message sent by one process to a receiver waiting in another", async (t) => {
    const { open } = deployment(t);
    const [a, b] = [open(), open()];
    const channel = await b.newChannel();
    await a.groupAdd("room.shared", channel);
    const pending = b.receive(channel);
    await a.groupSend("room.shared", { type: "chat.message", text: "from a" });
    assert.deepEqual(await pending, { type: "chat.message", text: "from a" });
  });

  test("holds one subscriber connection and one topic however many channels it reads", async (t) => {
    const { open, name, prefix } = deployment(t);
    const layer = open("solo");
    const controller = new AbortController();
    setMaxListeners(100, controller.signal);
    const channels = await Promise.all(Array.from({ length: 50 }, () => layer.newChannel()));
    const pending = channels.map((channel) => layer.receive(channel, controller.signal));
    await layer.send(channels[0]!, { type: "ping" });
    await pending[0];
    assert.deepEqual((await redisClientNames(REDIS_URL, name)).sort(), [
      `${name}solo:cmd`,
      `${name}solo:sub`,
    ]);
    const admin = new Redis(REDIS_URL);
    t.after(() => admin.disconnect());
    assert.deepEqual(await admin.pubsub("CHANNELS", `${prefix}*`), [
      `${prefix}wake:${channels[0]!.slice(0, channels[0]!.indexOf("!") + 1)}`,
    ]);
    controller.abort(new Error("done"));
    await Promise.allSettled(pending);
  });

  test("stops delivering to the channels of a process that died once groupExpiry passes", async (t) => {
    const { open, prefix } = deployment(t, { groupExpiry: 0.3 });
    const [alive, dead] = [open(), open()];
    const deadChannel = await dead.newChannel();
    await dead.groupAdd("room.ghosts", deadChannel);
    await dead.close();
    const aliveChannel = await alive.newChannel();
    await sleep(400);
    await alive.groupAdd("room.ghosts", aliveChannel);
    await alive.groupSend("room.ghosts", { type: "hello" });
    assert.deepEqual(await alive.receive(aliveChannel), { type: "hello" });
    const admin = new Redis(REDIS_URL);
    t.after(() => admin.disconnect());
    assert.deepEqual(await admin.zrange(`${prefix}group:room.ghosts`, 0, -1), [aliveChannel]);
    assert.equal(await admin.exists(`${prefix}ch:${deadChannel}`), 0);
  });

  test("a waiting receive survives its connections being killed, as in a Redis restart", async (t) => {
    const { open, name } = deployment(t);
    const [receiver, sender] = [open("victim"), open("sender")];
    const channel = await receiver.newChannel();
    await receiver.groupAdd("room.restart", channel);
    const pending = receiver.receive(channel);
    assert.equal(await killRedisClients(REDIS_URL, `${name}victim`), 2);
    await sender.groupSend("room.restart", { type: "after.kill" });
    assert.deepEqual(await pending, { type: "after.kill" });
    await receiver.send(channel, { type: "own.send" });
    assert.deepEqual(await receiver.receive(channel), { type: "own.send" });
  });

  test("flush removes only its own prefix, even one with glob characters", async (t) => {
    const base = uniquePrefix("redisflush");
    const globbed = new RedisChannelLayer({ redis: REDIS_URL, prefix: `${base}[ab]:` });
    const other = new RedisChannelLayer({ redis: REDIS_URL, prefix: `${base}a:` });
    t.after(async () => {
      await other.flush();
      await Promise.all([globbed.close(), other.close()]);
    });
    await globbed.send("jobs", { type: "mine" });
    await other.send("jobs", { type: "theirs" });
    await globbed.flush();
    assert.deepEqual(await other.receive("jobs", AbortSignal.timeout(5000)), { type: "theirs" });
    await globbed.send("jobs", { type: "after.flush" });
    assert.deepEqual(await globbed.receive("jobs"), { type: "after.flush" });
  });

  test("discardChannel leaves no key and no membership of the channel in Redis", async (t) => {
    const { prefix, open } = deployment(t);
    const layer = open();
    const redis = new Redis(REDIS_URL);
    t.after(() => redis.disconnect());
    const channel = await layer.newChannel();
    await layer.groupAdd("room.released", channel);
    await layer.send(channel, { type: "queued" });
    await layer.discardChannel(channel);
    const keys = [`${prefix}ch:${channel}`, `${prefix}groupsof:${channel}`];
    assert.equal(await redis.exists(...keys), 0);
    assert.equal(await redis.zscore(`${prefix}group:room.released`, channel), null);
  });

  test("rejects commands with BackendUnavailable while Redis is unreachable, receive waits", async (t) => {
    const layer = new RedisChannelLayer({
      redis: { host: "127.0.0.1", port: 1, retryStrategy: () => 50 },
      unavailableTimeout: 50,
    });
    t.after(() => layer.close());
    await assert.rejects(layer.send("jobs", { type: "x" }), BackendUnavailable);
    await assert.rejects(layer.groupSend("room.down", { type: "x" }), BackendUnavailable);
    await assert.rejects(layer.groupAdd("room.down", "jobs"), BackendUnavailable);
    const pending = layer.receive("jobs");
    await layer.close();
    await assert.rejects(pending, BackendUnavailable);
  });
});
