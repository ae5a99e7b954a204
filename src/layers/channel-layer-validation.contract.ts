import assert from "node:assert/strict";
import { test } from "node:test";
import { InvalidChannelMessage, InvalidChannelName, MessageTooLarge } from "../errors.js";
import type { ChannelMessage } from "../types/asgi.js";
import type { OpenTestLayer } from "./channel-layer.contract.js";

/**
 * The ChannelLayer contract on what layers refuse: invalid channel and group names, messages that
 * are not plain JSON objects with a string type, the reserved key, messages over `maxMessageSize`.
 * `channelLayerContract` registers them for every layer.
 *
 * @example
 * ```ts
 * describe("ChannelLayer contract: memory", () => channelLayerValidationContract(open));
 * ```
 */
export function channelLayerValidationContract(open: OpenTestLayer): void {
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
}
