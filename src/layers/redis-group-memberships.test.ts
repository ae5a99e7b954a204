// How RedisChannelLayer restores group memberships a Redis restart lost (a real restart runs in
// test/multiprocess/redis-restart.test.ts; here the group's key is deleted and the connections
// killed, which is what a restart does to this test's keys, without touching anyone else's).
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test } from "node:test";
import { Redis } from "ioredis";
import { killRedisClients } from "../../test/multiprocess/kill-redis-clients.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "../../test/support/services.js";
import { LocalMemberships } from "./redis-group-memberships.js";
import { RedisChannelLayer } from "./redis-channel-layer.js";

describe("LocalMemberships", () => {
  test("keeps what was added and not discarded, forgotten or lapsed", () => {
    const memberships = new LocalMemberships();
    memberships.add("room", "kept", 2000);
    memberships.add("room", "discarded", 2000);
    memberships.add("other", "forgotten", 2000);
    memberships.add("room", "forgotten", 2000);
    memberships.add("room", "lapsed", 1000);
    memberships.discard("room", "discarded");
    memberships.forget("forgotten");
    assert.deepEqual(memberships.live(1000), [
      { group: "room", channel: "kept", remainingMs: 1000 },
    ]);
    assert.deepEqual(memberships.live(2000), []);
  });
});

describe(
  "RedisChannelLayer after Redis lost its groups",
  { skip: await serviceSkip("redis") },
  () => {
    test("re-adds the memberships of its live channels on reconnect, and only those", async (t) => {
      const prefix = uniquePrefix("restore");
      const name = prefix.replace(/:/g, "-");
      const layer = new RedisChannelLayer({ redis: REDIS_URL, prefix, connectionName: `${name}p` });
      const sender = new RedisChannelLayer({ redis: REDIS_URL, prefix });
      const admin = new Redis(REDIS_URL);
      t.after(async () => {
        await sender.flush();
        await Promise.all([layer.close(), sender.close()]);
        admin.disconnect();
      });
      const [kept, discarded, abandoned] = await Promise.all([
        layer.newChannel(),
        layer.newChannel(),
        layer.newChannel(),
      ]);
      for (const channel of [kept, discarded, abandoned, "named.jobs"]) {
        await layer.groupAdd("room.restore", channel);
      }
      await layer.groupDiscard("room.restore", discarded);
      const controller = new AbortController();
      const gone = layer.receive(abandoned, controller.signal);
      controller.abort(new Error("the consumer left"));
      await assert.rejects(gone, /the consumer left/);

      const members = `${prefix}group:room.restore`;
      await admin.unlink(members);
      assert.equal(await killRedisClients(REDIS_URL, name), 2);
      // The restore is one Lua call: once the group exists again, it is complete. Bounded, not timed.
      for (let attempt = 0; (await admin.exists(members)) === 0; attempt++) {
        assert.ok(attempt < 300, "the layer never restored its memberships");
        await sleep(100);
      }
      assert.deepEqual(await admin.zrange(members, 0, -1), [kept]);
      assert.ok((await admin.pttl(members)) > 0);
      const pending = layer.receive(kept);
      await sender.groupSend("room.restore", { type: "after.restore" });
      assert.deepEqual(await pending, { type: "after.restore" });
    });
  },
);
