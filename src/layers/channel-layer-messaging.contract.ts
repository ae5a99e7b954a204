import assert from "node:assert/strict";
import { test } from "node:test";
import type { OpenTestLayer } from "./channel-layer.contract.js";

/**
 * The ChannelLayer contract on sending and receiving: copies and frozen messages, order, waiting
 * and competing receivers, `newChannel` names, aborted receives, messages taken in place.
 * `channelLayerContract` registers them for every layer.
 *
 * @example
 * ```ts
 * describe("ChannelLayer contract: memory", () => channelLayerMessagingContract(open));
 * ```
 */
export function channelLayerMessagingContract(open: OpenTestLayer): void {
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

  test("an in-place receiver takes what it accepts, in order, and the receive gets the rest", async (t) => {
    const layer = await open(t);
    const channel = await layer.newChannel();
    await layer.groupAdd("room.offer", channel);
    const seen: string[] = [];
    // takes the even ones: a layer that offers hands them over in place, one that does not
    // delivers every message to the receive
    const inPlace = {
      takeInPlace(message: { type: string; n?: unknown }): boolean {
        if (message.n !== 0 && message.n !== 2) return false;
        seen.push(`in place ${String(message.n)}`);
        return true;
      },
    };
    const sent: Array<Promise<void>> = [];
    let pending = layer.receive(channel, undefined, inPlace);
    for (let n = 0; n < 4; n++) {
      sent.push(
        n % 2 === 0
          ? layer.groupSend("room.offer", { type: "n", n })
          : layer.send(channel, { type: "n", n }),
      );
    }
    await Promise.all(sent);
    while (seen.length < 4) {
      const message = await pending;
      seen.push(`receive ${String(message.n)}`);
      if (seen.length < 4) pending = layer.receive(channel, undefined, inPlace);
    }
    const order = seen.map((entry) => Number(entry.split(" ").at(-1)));
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.ok(
      seen.every((entry) => entry.startsWith("receive") || /^in place [02]$/.test(entry)),
      seen.join(", "),
    );
  });
}
