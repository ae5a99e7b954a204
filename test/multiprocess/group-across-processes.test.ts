// Two `switchboard serve` processes sharing one Redis through RedisChannelLayer. A Redis restart is
// simulated by killing one process's Redis connections (CLIENT KILL by connection name): a real
// restart would break every other test running against this Redis (redis-restart.test.ts restarts
// a private one).
import assert from "node:assert/strict";
import { describe, test, after, before } from "node:test";
import { RedisChannelLayer } from "../../src/redis.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "../support/services.js";
import { killRedisClients } from "./kill-redis-clients.js";
import { stop, type Process } from "../support/processes.js";
import { Client, startServe } from "./serve-processes.js";

const skip = await serviceSkip("redis");

describe(
  "RedisChannelLayer across two switchboard serve processes",
  { skip, timeout: 60_000 },
  () => {
    const prefix = uniquePrefix("multiprocess");
    const name = prefix.replace(/:/g, "-");
    let a: Process;
    let b: Process;
    const clients: Client[] = [];
    const client = async (process: Process) => {
      const opened = await new Client(process.port).open();
      clients.push(opened);
      return opened;
    };

    before(async () => {
      [a, b] = await Promise.all([
        startServe(REDIS_URL, prefix, `${name}a`),
        startServe(REDIS_URL, prefix, `${name}b`),
      ]);
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await Promise.all([a, b].filter(Boolean).map(stop));
      const layer = new RedisChannelLayer({ redis: REDIS_URL, prefix });
      await layer.flush();
      await layer.close();
    });

    test("a client on A gets the group message a client on B sent", async () => {
      const [onA, onB] = [await client(a), await client(b)];
      onB.socket.send("hello from b");
      assert.deepEqual(await onA.next(), {
        type: "chat.message",
        text: "hello from b",
        pid: b.child.pid,
      });
      assert.equal(((await onB.next()) as { text: string }).text, "hello from b");
    });

    test("A keeps delivering after its Redis connections are killed, as in a Redis restart", async () => {
      const [onA, onB] = [await client(a), await client(b)];
      assert.equal(await killRedisClients(REDIS_URL, `${name}a`), 2);
      onB.socket.send("after the restart");
      await onA.nextWithText("after the restart");
      onA.socket.send("a is back");
      await onB.nextWithText("a is back");
    });

    test("killing B does not disturb A", async () => {
      const [first, second] = [await client(a), await client(a)];
      await stop(b);
      second.socket.send("b is gone");
      assert.equal((await first.nextWithText("b is gone")).pid, a.child.pid);
      assert.equal(a.child.exitCode, null);
    });
  },
);
