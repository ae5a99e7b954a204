import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { ImproperlyConfigured, NoHandlerForMessage, StopConsumer } from "../errors.js";
import { InMemoryChannelLayer } from "../layers/in-memory-channel-layer.js";
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

describe("Consumer.handlerFailed", () => {
  test("goes on with the next message once an async handlerFailed is done, whether the handler threw or rejected", async () => {
    const log: string[] = [];
    class Forgiving extends Consumer<ChannelScope> {
      chatMessage(message: ChannelMessage): void | Promise<void> {
        log.push(`handle ${String(message.how)}`);
        if (message.how === "throws") throw new Error("threw");
        if (message.how === "rejects") return Promise.reject(new Error("rejected"));
      }
      workerStop(): void {
        throw new StopConsumer("done");
      }
      protected override async handlerFailed(error: unknown) {
        await tick();
        log.push(`recovered ${(error as Error).message}`);
      }
    }
    await serveJobs(
      (layer) => Forgiving.asApp({ channelLayer: layer }),
      [
        { type: "chat.message", how: "throws" },
        { type: "chat.message", how: "rejects" },
        { type: "chat.message", how: "succeeds" },
        { type: "worker_stop" },
      ],
    );
    assert.deepEqual(log, [
      "handle throws",
      "recovered threw",
      "handle rejects",
      "recovered rejected",
      "handle succeeds",
    ]);
  });

  test("ends with what handlerFailed throws or rejects with, without a second recovery", async () => {
    for (const how of ["throws", "rejects"]) {
      let recoveries = 0;
      class Unforgiving extends Consumer<ChannelScope> {
        chatMessage(): Promise<void> {
          return Promise.reject(new Error("handler"));
        }
        protected override handlerFailed(): void | Promise<void> {
          recoveries++;
          if (how === "throws") throw new Error("recovery threw");
          return Promise.reject(new Error("recovery rejected"));
        }
      }
      await assert.rejects(
        serveJobs(
          (layer) => Unforgiving.asApp({ channelLayer: layer }),
          [{ type: "chat.message" }, { type: "chat.message" }],
        ),
        new RegExp(`recovery ${how === "throws" ? "threw" : "rejected"}`),
      );
      assert.equal(recoveries, 1);
    }
  });

  test("is never called for a StopConsumer thrown or rejected, which ends before the next message", async () => {
    for (const how of ["throws", "rejects"]) {
      const layer = new InMemoryChannelLayer();
      let recoveries = 0;
      class Stopping extends Consumer<ChannelScope> {
        workerStop(): void | Promise<void> {
          const stop = new StopConsumer("done");
          if (how === "throws") throw stop;
          return Promise.reject(stop);
        }
        protected override handlerFailed() {
          recoveries++; // going on would take "after" from the channel
        }
      }
      await layer.send("jobs", { type: "worker_stop" });
      await layer.send("jobs", { type: "after" });
      await new ApplicationCommunicator(Stopping.asApp({ channelLayer: layer }), {
        type: "channel",
        channel: "jobs",
      }).wait();
      assert.equal(recoveries, 0);
      assert.deepEqual(await layer.receive("jobs"), { type: "after" });
      await layer.close();
    }
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
