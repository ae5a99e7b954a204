import assert from "node:assert/strict";
import { test } from "node:test";
import { receiveOrNothing } from "../../test/support/receive-or-nothing.js";
import { ChannelFull } from "../errors.js";
import type { OpenTestLayer } from "./channel-layer.contract.js";

/**
 * The ChannelLayer contract on capacity: `ChannelFull` at `send`, `channelCapacity` overrides,
 * `groupSend` skipping full channels and logging how many it skipped.
 * `channelLayerContract` registers them for every layer.
 *
 * @example
 * ```ts
 * describe("ChannelLayer contract: memory", () => channelLayerCapacityContract(open));
 * ```
 */
export function channelLayerCapacityContract(open: OpenTestLayer): void {
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
}
