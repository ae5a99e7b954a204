import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InMemoryChannelLayer } from "../layers/in-memory-channel-layer.js";
import { getChannelLayer, setChannelLayer } from "../layers/registry.js";
import { runWorker, worker } from "./worker.js";

const fixture = new URL("../../test/multiprocess/apps/worker-app.ts", import.meta.url).pathname;
// Imported once up front: the module installs its layer on first import only, as in a worker.
const { application } = await import(fixture);
const fixtureLayer = getChannelLayer()!;

describe("worker", () => {
  test("runs the module's application for each named channel until stopped", async () => {
    const layer = fixtureLayer;
    const running = runWorker({ channels: ["thumbnails"], application, layer, restartDelay: 10 });
    const reply = await layer.newChannel();
    await layer.send("thumbnails", { type: "thumbnail.make", id: 1, replyTo: reply });
    assert.equal((await layer.receive(reply)).id, 1);
    await running.stop();
    setChannelLayer(null);
  });

  test("restarts an application that failed and keeps serving", async (t) => {
    const layer = new InMemoryChannelLayer();
    setChannelLayer(layer);
    t.after(() => setChannelLayer(null));
    const errors: unknown[] = [];
    t.mock.method(console, "error", (...args: unknown[]) => errors.push(args[1]));
    const running = runWorker({ channels: ["thumbnails"], application, layer, restartDelay: 1 });
    const reply = await layer.newChannel();
    await layer.send("thumbnails", { type: "thumbnail.fail", id: 1 });
    await layer.send("thumbnails", { type: "thumbnail.make", id: 2, replyTo: reply });
    assert.equal((await layer.receive(reply)).id, 2);
    assert.match(String(errors[0]), /asked to fail: 1/);
    await running.stop();
  });

  test("exits 2 with usage without --app or channels, 1 when the module sets no layer", async (t) => {
    const messages: string[] = [];
    t.mock.method(console, "error", (message: string) => messages.push(message));
    assert.equal(await worker(["thumbnails"]), 2);
    assert.equal(await worker(["--app", fixture]), 2);
    assert.match(messages[0]!, /Usage: switchboard worker <channel\.\.\.> --app <module>/);
    setChannelLayer(null);
    assert.equal(await worker(["thumbnails", "--app", fixture]), 1);
    assert.match(messages[2]!, /configured no channel layer: call setChannelLayer/);
  });
});
