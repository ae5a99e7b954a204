import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { receiveOrNothing } from "../../test/support/receive-or-nothing.js";
import type { OpenTestLayer } from "./channel-layer.contract.js";

/**
 * The ChannelLayer contract on expiry: unread messages after `expiry`, members not renewed within
 * `groupExpiry`, and channels that leave their groups by leaving a message unread.
 * `channelLayerContract` registers them for every layer.
 *
 * @example
 * ```ts
 * describe("ChannelLayer contract: memory", () => channelLayerExpiryContract(open));
 * ```
 */
export function channelLayerExpiryContract(open: OpenTestLayer): void {
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
}
