import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CommunicatorTimeout, ProtocolError } from "../errors.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { HttpCommunicator } from "./http-communicator.js";
import { WebsocketCommunicator } from "./websocket-communicator.js";

/** Accepts, then reports its scope as JSON and echoes frames until the client disconnects. */
const scopeReporter: Application<WebsocketScope> = async (scope, receive, send) => {
  await receive();
  await send({ type: "websocket.accept" });
  await send({ type: "websocket.send", text: JSON.stringify(scope) });
  for (;;) {
    const event = await receive();
    if (event.type !== "websocket.receive") return;
    await send({ type: "websocket.send", text: event.text, bytes: event.bytes });
  }
};

async function scopeFor(target: string, headers?: Record<string, string>) {
  const communicator = new WebsocketCommunicator(scopeReporter, target, { headers });
  await communicator.connect();
  const scope = (await communicator.receiveJsonFrom()) as WebsocketScope;
  await communicator.disconnect();
  return scope;
}

describe("WebsocketCommunicator", () => {
  test("builds the scope like the server: decoded path, split query, lower-cased headers", async () => {
    const scope = await scopeFor("/caf%C3%A9/room%201/?q=a%20b&x=1#frag", { "X-Token": "t" });
    assert.equal(scope.type, "websocket");
    assert.equal(scope.path, "/café/room 1/");
    assert.equal(scope.rawPath, "/caf%C3%A9/room%201/");
    assert.equal(scope.queryString, "q=a%20b&x=1");
    assert.equal(scope.rootPath, "");
    assert.deepEqual(scope.headers, [["x-token", "t"]]);
    assert.deepEqual(scope.subprotocols, []);
    assert.equal(scope.scheme, "ws");
  });

  test("takes only the path and query of an absolute URL", async () => {
    const scope = await scopeFor("wss://user:pass@example.com:8080/p/a/t/h?query=string#hash");
    assert.equal(scope.path, "/p/a/t/h");
    assert.equal(scope.queryString, "query=string");
  });

  test("keeps a malformed percent escape as it arrived", async () => {
    assert.equal((await scopeFor("/bad%zz/")).path, "/bad%zz/");
  });

  test("rejects a path that does not start with a slash", () => {
    assert.throws(() => new WebsocketCommunicator(scopeReporter, "chat/"), /must start with "\/"/);
  });

  test("puts scope extras and overrides on the scope", async () => {
    const communicator = new WebsocketCommunicator(scopeReporter, "/", {
      client: ["10.0.0.1", 1234],
    });
    await communicator.connect();
    const scope = (await communicator.receiveJsonFrom()) as WebsocketScope;
    assert.deepEqual(scope.client, ["10.0.0.1", 1234]);
    await communicator.disconnect();
  });

  test("round-trips text, bytes and JSON frames", async () => {
    const communicator = new WebsocketCommunicator(scopeReporter, "/");
    await communicator.connect();
    await communicator.receiveFrom();
    await communicator.sendTo({ text: "hello" });
    assert.equal(await communicator.receiveFrom(), "hello");
    await communicator.sendTo({ bytes: new Uint8Array([0, 1]) });
    assert.deepEqual(await communicator.receiveFrom(), new Uint8Array([0, 1]));
    await communicator.sendJsonTo({ a: [1] });
    assert.deepEqual(await communicator.receiveJsonFrom(), { a: [1] });
    await communicator.disconnect();
  });

  test("connect() times out with a CommunicatorTimeout when the app never answers", async () => {
    const mute: Application<WebsocketScope> = async (_scope, receive) => {
      await receive();
      await receive();
    };
    const communicator = new WebsocketCommunicator(mute, "/");
    await assert.rejects(communicator.connect(5), CommunicatorTimeout);
    // disconnect() still works after a timeout, as in Channels.
    await communicator.disconnect();
  });

  test("receiveFrom() says what came instead of a frame", async () => {
    const closer: Application<WebsocketScope> = async (_scope, receive, send) => {
      await receive();
      await send({ type: "websocket.accept" });
      await send({ type: "websocket.close", code: 4001, reason: "bye" });
    };
    const communicator = new WebsocketCommunicator(closer, "/");
    await communicator.connect();
    await assert.rejects(communicator.receiveFrom(), (error: unknown) => {
      assert.ok(error instanceof ProtocolError);
      assert.match(error.message, /got websocket\.close \(code 4001, "bye"\)/);
      return true;
    });
  });
});

describe("HttpCommunicator", () => {
  test("builds the scope like the server and collects a chunked response", async () => {
    const app: Application<HttpScope> = async (scope, receive, send) => {
      const request = await receive();
      await send({ type: "http.response.start", status: 201, headers: [["x-a", "1"]] });
      await send({ type: "http.response.body", body: Buffer.from(scope.method), moreBody: true });
      await send({
        type: "http.response.body",
        body: Buffer.from(` ${scope.path}?`),
        moreBody: true,
      });
      await send({
        type: "http.response.body",
        body: Buffer.from(scope.queryString),
        moreBody: true,
      });
      if (request.type === "http.request")
        await send({ type: "http.response.body", body: request.body });
    };
    const communicator = new HttpCommunicator(app, "post", "/a%20b/?x=1", " body", {
      "Content-Type": "text/plain",
    });
    assert.equal(communicator.scope.method, "POST");
    assert.deepEqual(communicator.scope.headers, [["content-type", "text/plain"]]);
    const response = await communicator.getResponse();
    assert.deepEqual(response, {
      status: 201,
      headers: [["x-a", "1"]],
      body: Buffer.from("POST /a b/?x=1 body"),
    });
  });
});
