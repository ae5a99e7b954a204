import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { WebsocketCommunicator } from "../testing/index.js";
import { JsonWebsocketConsumer } from "./json-websocket-consumer.js";

class JsonEcho extends JsonWebsocketConsumer {
  override receiveJson(content: unknown) {
    return this.sendJson({ echo: content });
  }
}

describe("JsonWebsocketConsumer", () => {
  test("decodes JSON text frames and encodes replies", async () => {
    const communicator = new WebsocketCommunicator(JsonEcho.asApp(), "/json/");
    await communicator.connect();
    await communicator.sendJsonTo({ hello: "world", n: [1, 2] });
    assert.deepEqual(await communicator.receiveJsonFrom(), { echo: { hello: "world", n: [1, 2] } });
    await communicator.sendJsonTo(null);
    assert.deepEqual(await communicator.receiveJsonFrom(), { echo: null });
    await communicator.disconnect();
  });

  test("sends compact JSON with non-ASCII characters as they are, not json.dumps' spacing and escapes", async () => {
    const communicator = new WebsocketCommunicator(JsonEcho.asApp(), "/json/");
    await communicator.connect();
    await communicator.sendJsonTo({ a: 1, b: [1, 2], c: "café" });
    assert.equal(await communicator.receiveFrom(), '{"echo":{"a":1,"b":[1,2],"c":"café"}}');
    await communicator.disconnect();
  });

  test("closes with 1007 on malformed JSON, calls no handler and does not crash", async () => {
    const disconnects: number[] = [];
    class Strict extends JsonEcho {
      override disconnect(code: number) {
        disconnects.push(code);
      }
    }
    const communicator = new WebsocketCommunicator(Strict.asApp(), "/json/");
    await communicator.connect();
    await communicator.sendTo({ text: "{not json" });
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close", code: 1007 });
    await communicator.disconnect(1007);
    assert.deepEqual(disconnects, [1007]);
  });

  test("closes with 1007 on a binary frame", async () => {
    const communicator = new WebsocketCommunicator(JsonEcho.asApp(), "/json/");
    await communicator.connect();
    await communicator.sendTo({ bytes: new Uint8Array([123, 125]) });
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close", code: 1007 });
    await communicator.disconnect();
  });

  test("sendJson closes after sending when asked to", async () => {
    class Bye extends JsonWebsocketConsumer {
      override async connect() {
        await this.accept();
        await this.sendJson({ bye: true }, true);
      }
    }
    const communicator = new WebsocketCommunicator(Bye.asApp(), "/json/");
    await communicator.connect();
    assert.deepEqual(await communicator.receiveJsonFrom(), { bye: true });
    assert.deepEqual(await communicator.receiveOutput(), { type: "websocket.close" });
    await communicator.disconnect();
  });

  test("reply answers with the message's ref, or without one when the message had none", async () => {
    class Acks extends JsonWebsocketConsumer {
      override receiveJson(content: unknown) {
        return this.reply(content, { ok: true });
      }
    }
    const communicator = new WebsocketCommunicator(Acks.asApp(), "/json/");
    await communicator.connect();
    await communicator.sendJsonTo({ text: "asks", ref: "7" });
    assert.deepEqual(await communicator.receiveJsonFrom(), { ok: true, ref: "7" });
    await communicator.sendJsonTo({ text: "no ref" });
    assert.deepEqual(await communicator.receiveJsonFrom(), { ok: true });
    await communicator.sendJsonTo({ ref: 1 });
    assert.deepEqual(await communicator.receiveJsonFrom(), { ok: true });
    await communicator.disconnect();
  });
});
