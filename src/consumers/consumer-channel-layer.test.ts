import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { CommunicatorTimeout, NoHandlerForMessage } from "../errors.js";
import { InMemoryChannelLayer } from "../layers/in-memory-channel-layer.js";
import { setChannelLayer } from "../layers/registry.js";
import { WebsocketCommunicator } from "../testing/index.js";
import type { ChannelMessage } from "../types/asgi.js";
import { WebsocketConsumer } from "./websocket-consumer.js";
import type { WebsocketFrame } from "./websocket-consumer.js";
import { gate, settle } from "../../test/support/async.js";

describe("Consumer with a channel layer", () => {
  const layer = new InMemoryChannelLayer();
  after(() => layer.close());

  class Room extends WebsocketConsumer {
    static override groups = ["room"];
    override async connect() {
      await this.accept();
      await this.send({ text: this.channelName ?? "no channel" });
    }
    override receive({ text }: WebsocketFrame) {
      return this.send({ text: `client ${text}` });
    }
    async chatMessage(message: ChannelMessage) {
      await this.send({ text: `layer ${String(message.text)}` });
    }
  }

  test("gets a channel name and dispatches messages sent to it like client events", async () => {
    const communicator = new WebsocketCommunicator(Room.asApp({ channelLayer: layer }), "/");
    await communicator.connect();
    const channel = (await communicator.receiveFrom()) as string;
    assert.match(channel, /^specific\./);
    await layer.send(channel, { type: "chat.message", text: "hi" });
    assert.equal(await communicator.receiveFrom(), "layer hi");
    await communicator.disconnect();
  });

  test("joins static groups on connect and leaves them on disconnect", async () => {
    const communicator = new WebsocketCommunicator(Room.asApp({ channelLayer: layer }), "/");
    await communicator.connect();
    const channel = (await communicator.receiveFrom()) as string;
    await layer.groupSend("room", { type: "websocket.receive", text: "via group" });
    assert.equal(await communicator.receiveFrom(), "client via group");
    await communicator.disconnect();
    // Gone from the group, and its channel no longer read: what is sent there stays queued.
    await layer.groupSend("room", { type: "chat.message", text: "late" });
    await layer.send(channel, { type: "chat.message", text: "direct" });
    assert.deepEqual(await layer.receive(channel), { type: "chat.message", text: "direct" });
  });

  test("releases its channel in the layer as the connection ends, whatever was queued on it", async (t) => {
    const own = new InMemoryChannelLayer();
    t.after(() => own.close());
    const communicator = new WebsocketCommunicator(Room.asApp({ channelLayer: own }), "/");
    await communicator.connect();
    const channel = (await communicator.receiveFrom()) as string;
    assert.equal(own.channelCount, 1);
    await communicator.disconnect();
    assert.equal(own.channelCount, 0);
    await own.groupSend("room", { type: "chat.message", text: "to nobody" });
    assert.equal(own.channelCount, 0, `${channel} left no group membership behind`);
  });

  test("fails instead of calling accept, send or close when a layer message is typed after one", async () => {
    for (const type of ["accept", "send", "close"]) {
      const communicator = new WebsocketCommunicator(Room.asApp({ channelLayer: layer }), "/");
      await communicator.connect();
      const channel = (await communicator.receiveFrom()) as string;
      await layer.send(channel, { type, text: "from the layer" });
      assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close", code: 1011 });
      await assert.rejects(communicator.wait(), NoHandlerForMessage, type);
    }
  });

  test("never runs a layer message concurrently with a client event", async () => {
    const log: string[] = [];
    const held = gate();
    class Ordered extends Room {
      override async receive({ text }: WebsocketFrame) {
        log.push(`client ${text}`);
        await this.send({ text: `client ${text}` });
      }
      override async chatMessage(message: ChannelMessage) {
        log.push(`layer start ${String(message.text)}`);
        await held.promise;
        log.push(`layer end ${String(message.text)}`);
      }
    }
    const communicator = new WebsocketCommunicator(Ordered.asApp({ channelLayer: layer }), "/");
    await communicator.connect();
    const channel = (await communicator.receiveFrom()) as string;
    await layer.send(channel, { type: "chat.message", text: "slow" });
    await settle();
    await communicator.sendTo({ text: "fast" });
    await settle();
    assert.deepEqual(log, ["layer start slow"]);
    held.open();
    assert.equal(await communicator.receiveFrom(), "client fast");
    assert.deepEqual(log, ["layer start slow", "layer end slow", "client fast"]);
    await communicator.disconnect();
  });

  test("closes with 1011 and fails when a layer message has no handler", async () => {
    const communicator = new WebsocketCommunicator(Room.asApp({ channelLayer: layer }), "/");
    await communicator.connect();
    const channel = (await communicator.receiveFrom()) as string;
    await layer.send(channel, { type: "chat.unknown" });
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close", code: 1011 });
    await assert.rejects(communicator.wait(), /No handler for message type "chat.unknown"/);
    await layer.groupSend("room", { type: "chat.message", text: "after failure" });
    // The failed consumer left its group and stopped reading its channel.
    await layer.send(channel, { type: "chat.message", text: "direct" });
    assert.deepEqual(await layer.receive(channel), { type: "chat.message", text: "direct" });
  });

  test("lets a running layer handler finish before a failing client source ends the connection", async () => {
    const log: string[] = [];
    const held = gate();
    class Busy extends Room {
      override async chatMessage(message: ChannelMessage) {
        log.push("handler start");
        await held.promise;
        log.push(`handler end ${String(message.text)}`);
      }
      protected override async teardown() {
        log.push("teardown");
        await super.teardown();
      }
    }
    const communicator = new WebsocketCommunicator(Busy.asApp({ channelLayer: layer }), "/");
    await communicator.connect();
    const channel = (await communicator.receiveFrom()) as string;
    await layer.send(channel, { type: "chat.message", text: "slow" });
    await settle();
    // Giving up makes the application's pending receive() reject while the handler is held.
    await assert.rejects(communicator.wait(5), CommunicatorTimeout);
    await settle();
    assert.deepEqual(log, ["handler start"]);
    held.open();
    await communicator.wait();
    assert.deepEqual(log, ["handler start", "handler end slow", "teardown"]);
  });

  test("uses the layer registered under static channelLayerAlias", async () => {
    const alias = "consumers-test";
    setChannelLayer(layer, alias);
    after(() => setChannelLayer(null, alias));
    class Aliased extends Room {
      static override channelLayerAlias = alias;
    }
    const communicator = new WebsocketCommunicator(Aliased.asApp(), "/");
    await communicator.connect();
    assert.match((await communicator.receiveFrom()) as string, /^specific\./);
    await communicator.disconnect();
  });

  test("refuses to connect when groups are set but no layer is configured", async () => {
    const communicator = new WebsocketCommunicator(Room.asApp({ channelLayer: null }), "/");
    await assert.rejects(communicator.connect(), /Room\.groups is set but no channel layer/);
  });
});
