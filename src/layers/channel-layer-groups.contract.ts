import assert from "node:assert/strict";
import { test } from "node:test";
import { receiveOrNothing } from "../../test/support/receive-or-nothing.js";
import type { OpenTestLayer } from "./channel-layer.contract.js";

/**
 * The ChannelLayer contract on groups: `groupSend` reaches every member, `groupDiscard` removes one,
 * unknown groups are harmless, `flush` and `discardChannel` drop memberships.
 * `channelLayerContract` registers them for every layer.
 *
 * @example
 * ```ts
 * describe("ChannelLayer contract: memory", () => channelLayerGroupsContract(open));
 * ```
 */
export function channelLayerGroupsContract(open: OpenTestLayer): void {
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

  test("flush drops queued messages and group memberships", async (t) => {
    const layer = await open(t);
    const channel = await layer.newChannel();
    await layer.groupAdd("room.flushed", channel);
    await layer.send(channel, { type: "queued" });
    await layer.flush();
    await layer.groupSend("room.flushed", { type: "after" });
    assert.equal(await receiveOrNothing(layer, channel), "nothing");
  });

  test("discardChannel drops the channel's queued messages and its memberships, not others'", async (t) => {
    const layer = await open(t, { capacity: 2 });
    const [gone, stays] = [await layer.newChannel(), await layer.newChannel()];
    await layer.groupAdd("room.released", gone);
    await layer.groupAdd("room.released", stays);
    await layer.send(gone, { type: "queued" });
    await layer.send(gone, { type: "queued" });
    await layer.discardChannel(gone);
    await layer.groupSend("room.released", { type: "after" });
    assert.deepEqual(await layer.receive(stays), { type: "after" });
    assert.equal(await receiveOrNothing(layer, gone), "nothing");
    // the queue that was full is gone too: the name takes `capacity` messages again
    await layer.send(gone, { type: "new" });
    await layer.send(gone, { type: "new" });
    assert.deepEqual(await layer.receive(gone), { type: "new" });
  });
}
