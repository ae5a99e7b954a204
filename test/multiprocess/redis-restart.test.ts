// A real Redis restart under two `switchboard serve` processes. The Redis is a private
// `redis-server` on a free port, without persistence, so killing and restarting it loses every
// key and disturbs no other test (group-across-processes.test.ts can only simulate a restart on
// the shared Redis).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { freePort } from "../support/ports.js";
import { uniquePrefix } from "../support/services.js";
import { running, startListening, stop, stopAll, type Process } from "../support/processes.js";
import { Client, startServe } from "./serve-processes.js";

/** As `serviceSkip`: loud skip without `CI`, failure with it. */
function redisServerSkip(): string | false {
  if (!spawnSync("redis-server", ["--version"]).error) return false;
  const reason = "redis-server is not on PATH";
  if (process.env.CI) throw new Error(`${reason}: CI needs it for the Redis restart test`);
  console.warn(
    `\n!!! SKIPPING the Redis restart test: ${reason} (set CI=true to make this fail) !!!\n`,
  );
  return reason;
}

function startRedis(port: number): Promise<Process> {
  return startListening(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--daemonize",
      "no",
    ],
    port,
  );
}

describe(
  "switchboard serve across a real Redis restart",
  { skip: redisServerSkip(), timeout: 90_000 },
  () => {
    const prefix = uniquePrefix("restart");
    const name = prefix.replace(/:/g, "-");
    let redisPort: number;
    let redis: Process;
    let a: Process;
    let b: Process;
    let onA: Client;
    let onB: Client;
    const clients: Client[] = [];
    const client = async (server: Process) => {
      const opened = await new Client(server.port).open();
      clients.push(opened);
      return opened;
    };

    /** Waits, bounded and untimed, until the group holds `count` members (each process re-added its own). */
    async function groupMembers(count: number): Promise<void> {
      const admin = new Redis(`redis://127.0.0.1:${redisPort}`);
      try {
        for (let attempt = 0; (await admin.zcard(`${prefix}group:chat`)) !== count; attempt++) {
          assert.ok(attempt < 300, `the group never got back its ${count} members`);
          await sleep(100);
        }
      } finally {
        admin.disconnect();
      }
    }

    before(async () => {
      redisPort = await freePort();
      redis = await startRedis(redisPort);
      const url = `redis://127.0.0.1:${redisPort}`;
      [a, b] = await Promise.all([
        startServe(url, prefix, `${name}a`),
        startServe(url, prefix, `${name}b`),
      ]);
      [onA, onB] = [await client(a), await client(b)];
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await stopAll();
    });

    test("a group message crosses from B to A", async () => {
      onB.socket.send("before the restart");
      assert.equal((await onA.nextWithText("before the restart")).pid, b.child.pid);
      await onB.nextWithText("before the restart");
    });

    test("while Redis is down, a group send fails with BACKEND_UNAVAILABLE and both processes run", async () => {
      await stop(redis);
      onB.socket.send("while down");
      const answer = (await onB.next()) as { type: string; code: string; message: string };
      assert.equal(answer.type, "chat.error");
      assert.equal(answer.code, "BACKEND_UNAVAILABLE");
      assert.match(answer.message, /Redis/);
      assert.ok(running(a) && running(b));
    });

    test("after Redis restarts empty, B's group message reaches A's already-open socket", async () => {
      redis = await startRedis(redisPort);
      // Only the two open sockets are members: both processes re-added them on reconnect.
      await groupMembers(2);
      onB.socket.send("after the restart");
      assert.equal((await onA.nextWithText("after the restart")).pid, b.child.pid);
      await onB.nextWithText("after the restart");
      assert.ok(running(a) && running(b));
    });

    test("both processes still complete handshakes, and new sockets join the group", async () => {
      const [newA, newB] = [await client(a), await client(b)];
      newA.socket.send("from a new socket");
      for (const socket of [newB, onB, onA, newA]) {
        assert.equal((await socket.nextWithText("from a new socket")).pid, a.child.pid);
      }
    });
  },
);
