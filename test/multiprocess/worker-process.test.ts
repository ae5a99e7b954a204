// `switchboard worker` as a real process: it serves a named channel through Redis and stops
// cleanly on SIGTERM.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { RedisChannelLayer } from "../../src/redis.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "../support/services.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const app = fileURLToPath(new URL("./apps/worker-app.ts", import.meta.url));

describe("switchboard worker", { skip: await serviceSkip("redis"), timeout: 60_000 }, () => {
  test("answers messages on its channel from another process and exits 0 on SIGTERM", async (t) => {
    const prefix = uniquePrefix("worker");
    const layer = new RedisChannelLayer({ redis: REDIS_URL, prefix });
    t.after(async () => {
      await layer.flush();
      await layer.close();
    });
    const child = spawn(
      process.execPath,
      ["bin/switchboard.js", "worker", "thumbnails", "--app", app],
      {
        cwd: root,
        env: { ...process.env, REDIS_URL, SB_LAYER_PREFIX: prefix },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    t.after(() => child.kill("SIGKILL"));
    const [banner] = (await once(child.stdout!, "data")) as [Buffer];
    assert.match(String(banner), /worker: serving thumbnails/);
    const reply = await layer.newChannel();
    // Sent before or after the worker's first receive: the channel queues it either way.
    await layer.send("thumbnails", { type: "thumbnail.make", id: 7, replyTo: reply });
    assert.deepEqual(await layer.receive(reply), { type: "thumbnail.done", id: 7, pid: child.pid });
    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    assert.equal(code, 0);
  });
});
