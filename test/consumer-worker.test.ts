import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { runWorker } from "../src/cli/worker.js";
import { Consumer } from "../src/consumers/index.js";
import { InMemoryChannelLayer } from "../src/layers/index.js";
import type { ChannelMessage, ChannelScope } from "../src/types/asgi.js";

describe("Consumer under runWorker", () => {
  test("serves its named channel until the worker stops, logging no error", async (t) => {
    const errors: unknown[] = [];
    t.mock.method(console, "error", (...args: unknown[]) => errors.push(args));
    const layer = new InMemoryChannelLayer();
    class Thumbnailer extends Consumer<ChannelScope> {
      async thumbnailMake(message: ChannelMessage) {
        await this.channelLayer?.send(String(message.replyTo), {
          type: "thumbnail.done",
          id: message.id,
        });
      }
    }
    const running = runWorker({
      channels: ["thumbnails"],
      application: Thumbnailer.asApp({ channelLayer: layer }),
      layer,
    });
    const reply = await layer.newChannel();
    await layer.send("thumbnails", { type: "thumbnail.make", id: 1, replyTo: reply });
    assert.deepEqual(await layer.receive(reply), { type: "thumbnail.done", id: 1 });
    await running.stop();
    assert.deepEqual(errors, []);
  });
});
