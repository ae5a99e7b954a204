import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AcceptConnection, ChannelFull, DenyConnection, StopConsumer } from "../errors.js";
import { WebsocketCommunicator } from "../testing/index.js";
import type { WebsocketDisconnectEvent, WebsocketScope } from "../types/asgi.js";
import { WebsocketConsumer } from "./websocket-consumer.js";
import type { WebsocketFrame } from "./websocket-consumer.js";

class EchoConsumer extends WebsocketConsumer {
  override receive(frame: WebsocketFrame) {
    return this.send(frame);
  }
}

describe("WebsocketConsumer", () => {
  test("accepts by default and echoes text and bytes frames", async () => {
    const communicator = new WebsocketCommunicator(EchoConsumer.asApp(), "/testws/");
    assert.deepEqual(await communicator.connect(), {
      connected: true,
      subprotocol: null,
      headers: [],
    });
    await communicator.sendTo({ text: "hello" });
    assert.equal(await communicator.receiveFrom(), "hello");
    await communicator.sendTo({ bytes: new Uint8Array([119, 0, 0, 0]) });
    assert.deepEqual(await communicator.receiveFrom(), new Uint8Array([119, 0, 0, 0]));
    await communicator.disconnect();
  });

  test("calls connect, receive and disconnect with the frame and the close code", async () => {
    const calls: unknown[] = [];
    class Recorder extends WebsocketConsumer {
      override async connect() {
        calls.push(["connect", this.scope.path]);
        await this.accept();
      }
      override receive(frame: WebsocketFrame) {
        calls.push(["receive", frame]);
      }
      override disconnect(code: number) {
        calls.push(["disconnect", code]);
      }
    }
    const communicator = new WebsocketCommunicator(Recorder.asApp(), "/ws/");
    await communicator.connect();
    await communicator.sendTo({ text: "a" });
    await communicator.disconnect(4001);
    assert.deepEqual(calls, [
      ["connect", "/ws/"],
      ["receive", { text: "a" }],
      ["disconnect", 4001],
    ]);
  });

  test("accepts with the chosen subprotocol and extra headers", async () => {
    class Picky extends WebsocketConsumer {
      override connect() {
        assert.deepEqual(this.scope.subprotocols, ["one", "two"]);
        return this.accept("two", [["x-extra", "1"]]);
      }
    }
    const communicator = new WebsocketCommunicator(Picky.asApp(), "/", {
      subprotocols: ["one", "two"],
    });
    assert.deepEqual(await communicator.connect(), {
      connected: true,
      subprotocol: "two",
      headers: [["x-extra", "1"]],
    });
    await communicator.disconnect();
  });

  test("throws ProtocolError when accepting a subprotocol the client did not offer", async () => {
    class Wrong extends WebsocketConsumer {
      override connect() {
        return this.accept("three");
      }
    }
    const communicator = new WebsocketCommunicator(Wrong.asApp(), "/", { subprotocols: ["one"] });
    await assert.rejects(
      communicator.connect(),
      /did not offer that subprotocol; pick one of scope\.subprotocols \(one\)/,
    );
  });

  test("refuses the handshake when connect closes before accepting", async () => {
    class Refuser extends WebsocketConsumer {
      override connect() {
        return this.close();
      }
    }
    const communicator = new WebsocketCommunicator(Refuser.asApp(), "/");
    assert.deepEqual(await communicator.connect(), { connected: false, closeCode: 1000 });
    await communicator.disconnect(1006);
  });

  test("refuses the handshake when connect throws DenyConnection", async () => {
    let disconnected = false;
    class Denier extends WebsocketConsumer {
      override connect(): void {
        throw new DenyConnection("not allowed here");
      }
      override disconnect() {
        disconnected = true;
      }
    }
    const communicator = new WebsocketCommunicator(Denier.asApp(), "/");
    assert.equal((await communicator.connect()).connected, false);
    await communicator.disconnect(1006);
    assert.equal(disconnected, true);
  });

  test("accepts the handshake when connect throws AcceptConnection", async () => {
    class Acceptor extends WebsocketConsumer {
      override connect(): void {
        throw new AcceptConnection("welcome");
      }
      override receive({ text }: WebsocketFrame) {
        return this.send({ text: `got ${text}` });
      }
    }
    const communicator = new WebsocketCommunicator(Acceptor.asApp(), "/");
    assert.deepEqual(await communicator.connect(), {
      connected: true,
      subprotocol: null,
      headers: [],
    });
    await communicator.sendTo({ text: "x" });
    assert.equal(await communicator.receiveFrom(), "got x");
    await communicator.disconnect();
  });

  test("fails with ProtocolError when AcceptConnection is thrown after accepting", async () => {
    class LateAcceptor extends WebsocketConsumer {
      override receive(): void {
        throw new AcceptConnection("again");
      }
    }
    const communicator = new WebsocketCommunicator(LateAcceptor.asApp(), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "x" });
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close", code: 1002 });
    await assert.rejects(communicator.wait(), /already accepted/);
  });

  test("closes with 1008 when DenyConnection is thrown after accepting", async () => {
    class LateDenier extends WebsocketConsumer {
      override receive(): void {
        throw new DenyConnection("you said the wrong thing");
      }
    }
    const communicator = new WebsocketCommunicator(LateDenier.asApp(), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "x" });
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close", code: 1008 });
    await communicator.disconnect();
  });

  test("lets an exception before accept propagate, so the server answers 500", async () => {
    class Broken extends WebsocketConsumer {
      override connect(): void {
        throw new RangeError("connect broke");
      }
    }
    const communicator = new WebsocketCommunicator(Broken.asApp(), "/");
    await assert.rejects(communicator.connect(), RangeError);
    await assert.rejects(communicator.wait(), RangeError);
  });

  test("closes with 1011, or a Switchboard error's own close code, and rethrows an exception after accept", async () => {
    const failures: Array<[Error, number]> = [
      [new RangeError("receive broke"), 1011],
      [new ChannelFull("the room is full"), 1013],
    ];
    for (const [error, code] of failures) {
      class Broken extends WebsocketConsumer {
        override receive(): void {
          throw error;
        }
      }
      const communicator = new WebsocketCommunicator(Broken.asApp(), "/");
      await communicator.connect();
      await communicator.sendTo({ text: "x" });
      assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close", code });
      await assert.rejects(communicator.wait(), error);
    }
  });

  test("goes on with the next frame when handlerFailed returns instead of rethrowing", async () => {
    const failures: string[] = [];
    class Forgiving extends EchoConsumer {
      override receive(frame: WebsocketFrame) {
        if (frame.text === "bad") return Promise.reject(new RangeError("bad frame"));
        return super.receive(frame);
      }
      protected override handlerFailed(error: unknown) {
        if (!(error instanceof RangeError)) return super.handlerFailed(error);
        failures.push(error.message);
        return this.send({ text: "sorry" });
      }
    }
    const communicator = new WebsocketCommunicator(Forgiving.asApp(), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "bad" });
    await communicator.sendTo({ text: "good" });
    assert.equal(await communicator.receiveFrom(), "sorry");
    assert.equal(await communicator.receiveFrom(), "good");
    assert.deepEqual(failures, ["bad frame"]);
    await communicator.disconnect();
  });

  test("ends with the error when disconnect() fails, even if handlerFailed would go on", async () => {
    for (const failure of [new RangeError("disconnect broke"), new DenyConnection("not now")]) {
      class Leaving extends WebsocketConsumer {
        override disconnect(): void {
          throw failure;
        }
        // would let the next event through, but after a disconnect every read is a disconnect
        protected override handlerFailed() {}
      }
      const communicator = new WebsocketCommunicator(Leaving.asApp(), "/");
      await communicator.connect();
      await assert.rejects(communicator.disconnect(), (error) => error === failure);
    }
  });

  test("ends cleanly when a handler throws StopConsumer", async () => {
    class Stopper extends WebsocketConsumer {
      override async receive() {
        await this.close();
        throw new StopConsumer("done");
      }
    }
    const communicator = new WebsocketCommunicator(Stopper.asApp(), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "bye" });
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close" });
    await communicator.wait();
  });

  test("ends on StopConsumer even when handlerFailed would go on", async () => {
    const failures: unknown[] = [];
    class Stopper extends WebsocketConsumer {
      override async receive() {
        await this.close();
        throw new StopConsumer("done");
      }
      protected override handlerFailed(error: unknown) {
        failures.push(error);
      }
    }
    const communicator = new WebsocketCommunicator(Stopper.asApp(), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "bye" });
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close" });
    await communicator.wait();
    assert.deepEqual(failures, []);
  });

  test("ends websocketDisconnect with StopConsumer, so the consumer ends cleanly", async () => {
    const stops: unknown[] = [];
    class Watcher extends WebsocketConsumer {
      override async websocketDisconnect(event: WebsocketDisconnectEvent) {
        try {
          await super.websocketDisconnect(event);
        } catch (error) {
          stops.push(error);
          throw error;
        }
      }
    }
    const communicator = new WebsocketCommunicator(Watcher.asApp(), "/");
    await communicator.connect();
    await communicator.disconnect();
    assert.equal(stops.length, 1);
    assert.ok(stops[0] instanceof StopConsumer);
  });

  test("types this.scope after the scope type parameter", async () => {
    type UserScope = WebsocketScope & { user: { username: string } };
    class Greeter extends WebsocketConsumer<UserScope> {
      override async connect() {
        await this.accept();
        await this.send({ text: `hi ${this.scope.user.username}` });
      }
    }
    const communicator = new WebsocketCommunicator<UserScope>(Greeter.asApp(), "/", {
      user: { username: "ada" },
    });
    await communicator.connect();
    assert.equal(await communicator.receiveFrom(), "hi ada");
    await communicator.disconnect();
  });
});
