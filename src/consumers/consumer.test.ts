import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import {
  CommunicatorTimeout,
  ImproperlyConfigured,
  NoHandlerForMessage,
  StopConsumer,
} from "../errors.js";
import { InMemoryChannelLayer } from "../layers/in-memory-channel-layer.js";
import { setChannelLayer } from "../layers/registry.js";
import { ApplicationCommunicator, WebsocketCommunicator } from "../testing/index.js";
import type { Application, ChannelMessage, ChannelScope } from "../types/asgi.js";
import { Consumer } from "./consumer.js";
import { WebsocketConsumer } from "./websocket-consumer.js";
import type { WebsocketFrame } from "./websocket-consumer.js";
import { gate, settle } from "../../test/support/async.js";

/** A worker consumer with no handlers of its own. */
class Worker extends Consumer<ChannelScope> {}

/**
 * Serves the application `appFor` makes on channel "jobs" of a fresh layer, sends it `messages`,
 * and resolves or rejects as the application ends.
 */
async function serveJobs(
  appFor: (layer: InMemoryChannelLayer) => Application<ChannelScope>,
  messages: ChannelMessage[],
): Promise<void> {
  const layer = new InMemoryChannelLayer();
  after(() => layer.close());
  const communicator = new ApplicationCommunicator(appFor(layer), {
    type: "channel",
    channel: "jobs",
  });
  for (const message of messages) await layer.send("jobs", message);
  return communicator.wait();
}

describe("Consumer dispatch", () => {
  test("awaits a slow async handler before taking the next event", async () => {
    const log: string[] = [];
    const held = gate();
    class Slow extends WebsocketConsumer {
      override async receive({ text }: WebsocketFrame) {
        log.push(`start ${text}`);
        if (text === "1") await held.promise;
        log.push(`end ${text}`);
        await this.send({ text: `done ${text}` });
      }
    }
    const communicator = new WebsocketCommunicator(Slow.asApp(), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "1" });
    await communicator.sendTo({ text: "2" });
    await settle();
    assert.deepEqual(log, ["start 1"]);
    held.open();
    assert.equal(await communicator.receiveFrom(), "done 1");
    assert.equal(await communicator.receiveFrom(), "done 2");
    assert.deepEqual(log, ["start 1", "end 1", "start 2", "end 2"]);
    await communicator.disconnect();
  });

  test("calls plain and async handlers alike, named by the type in camelCase", async () => {
    const seen: string[] = [];
    class Named extends Consumer<ChannelScope> {
      userLoggedIn(message: ChannelMessage) {
        seen.push(`plain ${String(message.id)}`);
      }
      async chatMessage(message: ChannelMessage) {
        await tick();
        seen.push(`async ${String(message.text)}`);
      }
      workerStop(): void {
        throw new StopConsumer("asked to stop");
      }
    }
    await serveJobs(
      (layer) => Named.asApp({ channelLayer: layer }),
      [
        { type: "chat.message", text: "hi" },
        { type: "user.logged_in", id: 7 },
        { type: "worker_stop" },
      ],
    );
    assert.deepEqual(seen, ["async hi", "plain 7"]);
  });

  test("fails with NoHandlerForMessage for a missing, malformed or reserved handler", async () => {
    // Base-class API methods and Object.prototype members are never handlers.
    const types = [
      "chat.missing",
      "_private",
      ".private",
      "chat..message",
      "send_event",
      "dispatch",
    ];
    for (const type of [...types, "constructor", "to_string"]) {
      const layer = new InMemoryChannelLayer();
      const communicator = new ApplicationCommunicator(Worker.asApp({ channelLayer: layer }), {
        type: "channel",
        channel: "worker",
      });
      await layer.send("worker", { type });
      await assert.rejects(communicator.wait(), (error: unknown) => {
        assert.ok(error instanceof NoHandlerForMessage, `${type}: ${String(error)}`);
        assert.match(error.message, new RegExp(`"${type.replace(/\./g, "\\.")}"`));
        return true;
      });
      await layer.close();
    }
  });

  test("a channel-scope consumer needs a channel layer", async () => {
    const communicator = new ApplicationCommunicator(Worker.asApp({ channelLayer: null }), {
      type: "channel",
      channel: "worker",
    });
    await assert.rejects(communicator.wait(), ImproperlyConfigured);
  });

  test("on a failure calls failed(), then teardown(), and reports the first error", async () => {
    const log: string[] = [];
    class Failing extends Consumer<ChannelScope> {
      chatMessage(): void {
        throw new Error("handler broke");
      }
      protected override async failed(error: unknown) {
        log.push(`failed: ${(error as Error).message}`);
      }
      protected override async teardown() {
        log.push("teardown");
        throw new Error("cleanup broke too");
      }
    }
    await assert.rejects(
      serveJobs((layer) => Failing.asApp({ channelLayer: layer }), [{ type: "chat.message" }]),
      /handler broke/,
    );
    assert.deepEqual(log, ["failed: handler broke", "teardown"]);
  });

  test("a clean stop runs teardown() and reports its error, without calling failed()", async () => {
    const log: string[] = [];
    class Stopping extends Consumer<ChannelScope> {
      workerStop(): void {
        throw new StopConsumer("done");
      }
      protected override async failed() {
        log.push("failed");
      }
      protected override async teardown() {
        log.push("teardown");
        throw new Error("cleanup broke");
      }
    }
    await assert.rejects(
      serveJobs((layer) => Stopping.asApp({ channelLayer: layer }), [{ type: "worker_stop" }]),
      /cleanup broke/,
    );
    assert.deepEqual(log, ["teardown"]);
  });
});

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

describe("Consumer.asApp({ init })", () => {
  class Greeter extends WebsocketConsumer {
    greeting = "hello";
    audience!: string;
    override async connect() {
      await this.accept();
      await this.send({ text: `${this.greeting}, ${this.audience}` });
    }
  }

  test("sets the fields on every instance, so one class makes differently configured apps", async () => {
    for (const [app, expected] of [
      [Greeter.asApp({ init: { audience: "world" } }), "hello, world"],
      [Greeter.asApp({ init: { greeting: "bonjour", audience: "monde" } }), "bonjour, monde"],
    ] as const) {
      for (let connection = 0; connection < 2; connection++) {
        const communicator = new WebsocketCommunicator(app, "/");
        await communicator.connect();
        assert.equal(await communicator.receiveFrom(), expected);
        await communicator.disconnect();
      }
    }
  });

  test("refuses a name the class does not declare, or a base consumer field, when asApp runs", () => {
    assert.throws(
      () => Greeter.asApp({ init: { audiense: "typo" } as never }),
      (error: unknown) =>
        error instanceof ImproperlyConfigured && /"audiense", which Greeter/.test(error.message),
    );
    assert.throws(
      () => Greeter.asApp({ init: { channelName: "x" } as never }),
      ImproperlyConfigured,
    );
  });
});
