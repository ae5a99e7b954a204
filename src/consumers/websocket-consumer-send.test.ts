import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ProtocolError } from "../errors.js";
import { WebsocketCommunicator } from "../testing/index.js";
import type { WebsocketReceiveEvent } from "../types/asgi.js";
import { WebsocketConsumer } from "./websocket-consumer.js";
import type { WebsocketFrame } from "./websocket-consumer.js";

class EchoConsumer extends WebsocketConsumer {
  override receive(frame: WebsocketFrame) {
    return this.send(frame);
  }
}

describe("WebsocketConsumer send and close", () => {
  test("sends then closes with the given code when send() is asked to close", async () => {
    class Closer extends WebsocketConsumer {
      override receive() {
        return this.send({ text: "last" }, 4000);
      }
    }
    const communicator = new WebsocketCommunicator(Closer.asApp(), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "x" });
    assert.equal(await communicator.receiveFrom(), "last");
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close", code: 4000 });
    await communicator.disconnect();
  });

  test("throws ProtocolError on send before accept and on a second accept", async () => {
    class Eager extends WebsocketConsumer {
      override connect() {
        return this.send({ text: "too early" });
      }
    }
    const early = new WebsocketCommunicator(Eager.asApp(), "/");
    await assert.rejects(early.connect(), ProtocolError);
    class Twice extends WebsocketConsumer {
      override async connect() {
        await this.accept();
        await this.accept();
      }
    }
    const twice = new WebsocketCommunicator(Twice.asApp(), "/");
    await twice.connect();
    assert.deepEqual(await twice.receiveOutput(), { type: "websocket.close", code: 1002 });
    await assert.rejects(twice.wait(), /already accepted/);
  });

  test("send(frame, code) sends then closes with the code; later frames are dropped", async () => {
    class Last extends WebsocketConsumer {
      override async receive({ text }: WebsocketFrame) {
        await this.send({ text: `last ${text}` }, 4001);
        await this.send({ text: "dropped" });
      }
    }
    const communicator = new WebsocketCommunicator(Last.asApp(), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "x" });
    assert.equal(await communicator.receiveFrom(), "last x");
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close", code: 4001 });
    assert.equal(await communicator.receiveNothing(), true);
    await communicator.disconnect(4001);
  });

  test("closes with the given code and reason", async () => {
    class Closer extends WebsocketConsumer {
      override async connect() {
        await this.accept();
        await this.close(4007, "test reason");
      }
    }
    const communicator = new WebsocketCommunicator(Closer.asApp(), "/");
    await communicator.connect();
    assert.deepEqual(await communicator.receiveOutput(), {
      type: "websocket.close",
      code: 4007,
      reason: "test reason",
    });
    await communicator.disconnect(4007);
  });

  test("treats a websocket.receive whose text is null as a bytes frame", async () => {
    const communicator = new WebsocketCommunicator(EchoConsumer.asApp(), "/");
    await communicator.connect();
    await communicator.sendInput({
      type: "websocket.receive",
      text: null as unknown as undefined,
      bytes: Buffer.from("test data"),
    });
    assert.deepEqual(await communicator.receiveFrom(), Buffer.from("test data"));
    await communicator.disconnect();
  });

  test("fails with ProtocolError on a websocket.receive with neither text nor bytes", async () => {
    const malformed = [
      { type: "websocket.receive" },
      { type: "websocket.receive", text: null, bytes: null },
      { type: "websocket.receive", bytes: "not bytes" },
    ] as unknown as WebsocketReceiveEvent[];
    for (const event of malformed) {
      const frames: WebsocketFrame[] = [];
      class Recorder extends WebsocketConsumer {
        override receive(frame: WebsocketFrame): void {
          frames.push(frame);
        }
      }
      const communicator = new WebsocketCommunicator(Recorder.asApp(), "/");
      await communicator.connect();
      await communicator.sendInput(event);
      assert.deepEqual(await communicator.receiveOutput(), {
        type: "websocket.close",
        code: 1002,
      });
      await assert.rejects(
        communicator.wait(),
        (error) =>
          error instanceof ProtocolError && /neither text .* nor bytes/.test(error.message),
      );
      assert.deepEqual(frames, []);
    }
  });

  test("drops frames sent after close", async () => {
    class Chatty extends WebsocketConsumer {
      override async receive() {
        await this.close();
        await this.send({ text: "after close" });
      }
    }
    const communicator = new WebsocketCommunicator(Chatty.asApp(), "/");
    await communicator.connect();
    await communicator.sendTo({ text: "x" });
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close" });
    await communicator.disconnect();
    assert.equal(await communicator.receiveNothing(0), true);
  });
});
