/**
 * The ChannelLayer contract: what every implementation must do, as Channels' layer tests define
 * it. `channel-layer.test.ts` runs it against each layer; a new layer adds one entry there.
 */
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test, type TestContext } from "node:test";
import {
  ChannelFull,
  InvalidChannelMessage,
  InvalidChannelName,
  MessageTooLarge,
} from "../errors.js";
import type { ChannelMessage } from "../types/asgi.js";
import type { ChannelLayer } from "./channel-layer.js";
import type { ChannelLayerOptions } from "./channel-layer-options.js";

/** Makes a fresh, empty layer; the suite closes it (and flushes what it made) after each test. */
export type OpenLayer = (options?: ChannelLayerOptions) => Promise<ChannelLayer>;

/** Resolves to whatever `receive` yields, or `"nothing"` when nothing came within `ms`. */
async function receiveOrNothing(layer: ChannelLayer, channel: string, ms = 100) {
  // Not AbortSignal.timeout: its timer does not keep the event loop, hence the test, alive.
  const controller = new AbortController();
  const nothing = new Error("nothing");
  const timer = setTimeout(() => controller.abort(nothing), ms);
  try {
    return await layer.receive(channel, controller.signal);
  } catch (error) {
    if (error === nothing) return "nothing";
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Registers the contract tests for one layer under `describe(\`ChannelLayer contract: ${name}\`)`.
 *
 * @example
 * ```ts
 * channelLayerContract("memory", async (options) => new InMemoryChannelLayer(options));
 * ```
 */
export function channelLayerContract(
  name: string,
  openLayer: OpenLayer,
  skip: string | false = false,
): void {
  async function open(t: TestContext, options?: ChannelLayerOptions): Promise<ChannelLayer> {
    // Quiet by default: the tests that skip full channels would print their log line.
    const layer = await openLayer({ logger: () => {}, ...options });
    t.after(async () => {
      await layer.flush();
      await layer.close();
    });
    return layer;
  }

  describe(`ChannelLayer contract: ${name}`, { skip }, () => {
    test("receive returns a copy of what send queued", async (t) => {
      const layer = await open(t);
      const channel = await layer.newChannel();
      const message = { type: "chat.message", text: "hi", nested: { n: 1 } };
      await layer.send(channel, message);
      message.nested.n = 2;
      assert.deepEqual(await layer.receive(channel), {
        type: "chat.message",
        text: "hi",
        nested: { n: 1 },
      });
    });

    test("delivers deeply frozen messages, so no receiver changes what another gets", async (t) => {
      const layer = await open(t);
      const [a, b] = [await layer.newChannel(), await layer.newChannel()];
      await layer.groupAdd("room.frozen", a);
      await layer.groupAdd("room.frozen", b);
      await layer.groupSend("room.frozen", { type: "x", nested: { list: [1] } });
      const first = await layer.receive(a);
      assert.ok(Object.isFrozen(first) && Object.isFrozen(first.nested));
      assert.throws(() => {
        (first.nested as { list: number[] }).list.push(2);
      }, TypeError);
      assert.deepEqual(await layer.receive(b), { type: "x", nested: { list: [1] } });
    });

    test("delivers one channel's messages in the order they were sent", async (t) => {
      const layer = await open(t);
      const channel = await layer.newChannel();
      for (let n = 0; n < 5; n++) await layer.send(channel, { type: "n", n });
      const received = [];
      for (let n = 0; n < 5; n++) received.push((await layer.receive(channel)).n);
      assert.deepEqual(received, [0, 1, 2, 3, 4]);
    });

    test("a waiting receive gets a message sent later", async (t) => {
      const layer = await open(t);
      const channel = await layer.newChannel();
      const pending = layer.receive(channel);
      await layer.send(channel, { type: "late" });
      assert.deepEqual(await pending, { type: "late" });
    });

    test("competing receivers of a named channel each get a different message", async (t) => {
      const layer = await open(t);
      const first = layer.receive("worker.jobs");
      const second = layer.receive("worker.jobs");
      await layer.send("worker.jobs", { type: "job", n: 1 });
      await layer.send("worker.jobs", { type: "job", n: 2 });
      const ns = (await Promise.all([first, second])).map((message) => message.n);
      assert.deepEqual(ns.sort(), [1, 2]);
    });

    test("newChannel returns distinct valid process-local names with the prefix", async (t) => {
      const layer = await open(t);
      const names = new Set<string>();
      for (let i = 0; i < 50; i++) names.add(await layer.newChannel("chat."));
      assert.equal(names.size, 50);
      for (const channel of names) assert.match(channel, /^chat\.[a-zA-Z\d\-_.]*![\d\w\-_.]+$/);
      assert.match(await layer.newChannel(), /^specific\./);
    });

    test("newChannel uses its prefix as given, adding no dot as Channels' new_channel does", async (t) => {
      const layer = await open(t);
      const name = await layer.newChannel("chat");
      assert.match(name, /^chat[^.!]+!/);
      assert.match(await layer.newChannel(), /^specific\.[^.!]+!/);
    });

    test("groupSend reaches every member and groupDiscard removes one", async (t) => {
      const layer = await open(t);
      const [a, b] = [await layer.newChannel(), await layer.newChannel()];
      await layer.groupAdd("room.lobby", a);
      await layer.groupAdd("room.lobby", b);
      await layer.groupAdd("room.lobby", b);
      await layer.groupSend("room.lobby", { type: "hello" });
      assert.deepEqual(await layer.receive(a), { type: "hello" });
      assert.deepEqual(await layer.receive(b), { type: "hello" });
      await layer.groupDiscard("room.lobby", a);
      await layer.groupSend("room.lobby", { type: "again" });
      assert.deepEqual(await layer.receive(b), { type: "again" });
      assert.equal(await receiveOrNothing(layer, a), "nothing");
      assert.equal(await receiveOrNothing(layer, b), "nothing");
    });

    test("groupSend and groupDiscard on an unknown group do nothing", async (t) => {
      const layer = await open(t);
      await layer.groupSend("room.empty", { type: "x" });
      await layer.groupDiscard("room.empty", await layer.newChannel());
    });

    test("send throws ChannelFull once a channel holds `capacity` unread messages", async (t) => {
      const layer = await open(t, { capacity: 3 });
      const channel = await layer.newChannel();
      for (let n = 0; n < 3; n++) await layer.send(channel, { type: "n", n });
      await assert.rejects(layer.send(channel, { type: "n", n: 3 }), ChannelFull);
      assert.equal((await layer.receive(channel)).n, 0);
      await layer.send(channel, { type: "n", n: 4 });
    });

    test("channelCapacity overrides capacity by glob and by RegExp, first match wins", async (t) => {
      const layer = await open(t, {
        capacity: 5,
        channelCapacity: [
          ["thumb*", 1],
          [/^http\.(response|request)$/, 2],
          ["*", 3],
        ],
      });
      const fill = async (channel: string) => {
        let sent = 0;
        for (; sent < 10; sent++) {
          try {
            await layer.send(channel, { type: "x" });
          } catch (error) {
            assert.ok(error instanceof ChannelFull);
            break;
          }
        }
        return sent;
      };
      assert.equal(await fill("thumbnails"), 1);
      assert.equal(await fill("http.request"), 2);
      assert.equal(await fill("other"), 3);
    });

    test("groupSend applies channelCapacity overrides to each member", async (t) => {
      const layer = await open(t, { capacity: 5, channelCapacity: [["tiny.*", 1]] });
      const roomy = await layer.newChannel();
      await layer.groupAdd("room.sized", "tiny.worker");
      await layer.groupAdd("room.sized", roomy);
      await layer.groupSend("room.sized", { type: "n", n: 1 });
      await layer.groupSend("room.sized", { type: "n", n: 2 });
      assert.deepEqual(await layer.receive("tiny.worker"), { type: "n", n: 1 });
      assert.equal(await receiveOrNothing(layer, "tiny.worker"), "nothing");
      assert.equal((await layer.receive(roomy)).n, 1);
      assert.equal((await layer.receive(roomy)).n, 2);
    });

    test("groupSend skips full channels and still delivers to the others", async (t) => {
      const layer = await open(t, { capacity: 1 });
      const [full, free] = [await layer.newChannel(), await layer.newChannel()];
      await layer.groupAdd("room.mixed", full);
      await layer.groupAdd("room.mixed", free);
      await layer.send(full, { type: "first" });
      await layer.groupSend("room.mixed", { type: "group" });
      assert.deepEqual(await layer.receive(full), { type: "first" });
      assert.deepEqual(await layer.receive(free), { type: "group" });
      assert.equal(await receiveOrNothing(layer, full), "nothing");
    });

    // Expiries are short but sleeps well past them, and a fresh message has seconds to spare: a
    // loaded machine makes these tests slower, never wrong.
    test("drops messages unread after `expiry` and frees their capacity", async (t) => {
      const layer = await open(t, { expiry: 0.2, capacity: 1 });
      const channel = await layer.newChannel();
      await layer.send(channel, { type: "old" });
      await sleep(300);
      await layer.send(channel, { type: "new" });
      assert.deepEqual(await receiveOrNothing(layer, channel, 5000), { type: "new" });
    });

    test("a group member not renewed within `groupExpiry` receives nothing", async (t) => {
      const layer = await open(t, { groupExpiry: 0.2 });
      const [lapsed, renewed] = [await layer.newChannel(), await layer.newChannel()];
      await layer.groupAdd("room.expiring", lapsed);
      await layer.groupAdd("room.expiring", renewed);
      await sleep(300);
      await layer.groupAdd("room.expiring", renewed);
      await layer.groupSend("room.expiring", { type: "late" });
      assert.equal(await receiveOrNothing(layer, lapsed), "nothing");
      assert.deepEqual(await receiveOrNothing(layer, renewed, 5000), { type: "late" });
    });

    test("a channel that leaves a message unread past `expiry` leaves every group", async (t) => {
      const layer = await open(t, { expiry: 0.2 });
      const [stale, live] = [await layer.newChannel(), await layer.newChannel()];
      for (const group of ["room.first", "room.second"]) {
        await layer.groupAdd(group, stale);
        await layer.groupAdd(group, live);
      }
      await layer.groupSend("room.first", { type: "unread" });
      assert.deepEqual(await layer.receive(live), { type: "unread" });
      await sleep(300);
      await layer.groupSend("room.first", { type: "first.late" });
      await layer.groupSend("room.second", { type: "second.late" });
      assert.equal(await receiveOrNothing(layer, stale), "nothing");
      assert.deepEqual(await receiveOrNothing(layer, live, 5000), { type: "first.late" });
      assert.deepEqual(await receiveOrNothing(layer, live, 5000), { type: "second.late" });
      await layer.groupAdd("room.second", stale);
      await layer.groupSend("room.second", { type: "rejoined" });
      assert.deepEqual(await receiveOrNothing(layer, stale, 5000), { type: "rejoined" });
    });

    test("a receive that finds its message expired leaves the groups too", async (t) => {
      const layer = await open(t, { expiry: 0.2 });
      const channel = await layer.newChannel();
      await layer.groupAdd("room.late", channel);
      await layer.groupSend("room.late", { type: "missed" });
      await sleep(300);
      assert.equal(await receiveOrNothing(layer, channel), "nothing");
      await layer.groupSend("room.late", { type: "after" });
      assert.equal(await receiveOrNothing(layer, channel), "nothing");
    });

    test("groupSend logs one line counting the full channels it skipped", async (t) => {
      const lines: string[] = [];
      const layer = await open(t, { capacity: 1, logger: (line) => lines.push(line) });
      const [fullA, fullB, free] = await Promise.all([0, 1, 2].map(() => layer.newChannel()));
      for (const channel of [fullA!, fullB!, free!]) await layer.groupAdd("room.busy", channel);
      await layer.groupSend("room.busy", { type: "fits" });
      assert.deepEqual(lines, []);
      await layer.receive(free!);
      await layer.groupSend("room.busy", { type: "overflows" });
      assert.deepEqual(lines, ["2 of 3 channels over capacity in group room.busy"]);
    });

    test("flush drops queued messages and group memberships", async (t) => {
      const layer = await open(t);
      const channel = await layer.newChannel();
      await layer.groupAdd("room.flushed", channel);
      await layer.send(channel, { type: "queued" });
      await layer.flush();
      await layer.groupSend("room.flushed", { type: "after" });
      assert.equal(await receiveOrNothing(layer, channel), "nothing");
    });

    test("an aborted receive rejects with the signal's reason and loses no message", async (t) => {
      const layer = await open(t);
      const channel = await layer.newChannel();
      const controller = new AbortController();
      const aborted = layer.receive(channel, controller.signal);
      const reason = new Error("consumer left");
      controller.abort(reason);
      await assert.rejects(aborted, (error) => error === reason);
      await assert.rejects(layer.receive(channel, AbortSignal.abort(reason)), (e) => e === reason);
      await layer.send(channel, { type: "kept" });
      assert.deepEqual(await layer.receive(channel), { type: "kept" });
    });

    test("rejects invalid channel and group names with InvalidChannelName", async (t) => {
      const layer = await open(t);
      const message: ChannelMessage = { type: "x" };
      for (const bad of ["", "has space", "a/b", "é", "x".repeat(100), 7 as unknown as string]) {
        await assert.rejects(layer.send(bad, message), InvalidChannelName, String(bad));
        await assert.rejects(async () => layer.receive(bad), InvalidChannelName);
        await assert.rejects(layer.groupAdd("room.ok", bad), InvalidChannelName);
      }
      for (const bad of ["", "has!bang", "a b", "x".repeat(100)]) {
        await assert.rejects(layer.groupAdd(bad, "ok"), InvalidChannelName);
        await assert.rejects(layer.groupSend(bad, message), InvalidChannelName);
        await assert.rejects(layer.groupDiscard(bad, "ok"), InvalidChannelName);
      }
      await layer.send("x".repeat(99), message);
      await assert.rejects(layer.newChannel("bad prefix"), InvalidChannelName);
    });

    test("rejects messages that are not plain JSON objects with a string type", async (t) => {
      const layer = await open(t);
      const bad = [
        { text: "no type" },
        { type: 1 },
        [{ type: "array" }],
        new (class Event {
          type = "instance";
        })(),
        { type: "bigint", n: 1n },
        null,
      ] as unknown as ChannelMessage[];
      for (const message of bad) {
        await assert.rejects(layer.send("ok", message), InvalidChannelMessage);
        await assert.rejects(layer.groupSend("room.ok", message), InvalidChannelMessage);
      }
    });

    test("rejects a message using the reserved key __asgi_channel__, at send and groupSend", async (t) => {
      const layer = await open(t);
      const channel = await layer.newChannel();
      await layer.groupAdd("room.reserved", channel);
      const message = { type: "chat.message", __asgi_channel__: channel };
      const reserved = (error: unknown) =>
        error instanceof InvalidChannelMessage &&
        /reserved key "__asgi_channel__"/.test(error.message);
      await assert.rejects(layer.send(channel, message), reserved);
      await assert.rejects(layer.groupSend("room.reserved", message), reserved);
      await layer.send(channel, { type: "chat.message", nested: { __asgi_channel__: "fine" } });
      assert.deepEqual(await layer.receive(channel), {
        type: "chat.message",
        nested: { __asgi_channel__: "fine" },
      });
    });

    test("rejects a message over maxMessageSize with MessageTooLarge", async (t) => {
      const layer = await open(t, { maxMessageSize: 100 });
      await layer.send("ok", { type: "x", text: "a".repeat(50) });
      const large = { type: "x", text: "é".repeat(60) };
      await assert.rejects(layer.send("ok", large), MessageTooLarge);
      await assert.rejects(layer.groupSend("room.ok", large), MessageTooLarge);
    });
  });
}
