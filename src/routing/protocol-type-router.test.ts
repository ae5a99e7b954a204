import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { UnknownScopeType } from "../errors.js";
import {
  ApplicationCommunicator,
  HttpCommunicator,
  WebsocketCommunicator,
} from "../testing/index.js";
import type { Application, ChannelScope, Scope } from "../types/asgi.js";
import { protocolTypeRouter } from "./protocol-type-router.js";

const answer =
  (text: string): Application =>
  async (scope, receive, send) => {
    if (scope.type === "http") {
      await send({ type: "http.response.start", status: 200 });
      await send({ type: "http.response.body", body: Buffer.from(text) });
    } else {
      await receive();
      await send({ type: "websocket.accept", subprotocol: text });
    }
  };

describe("protocolTypeRouter", () => {
  test("hands each scope to the application for its type", async () => {
    const router = protocolTypeRouter({ http: answer("http"), websocket: answer("ws") });
    const response = await new HttpCommunicator(router, "GET", "/").getResponse();
    assert.equal(response.body.toString(), "http");
    const result = await new WebsocketCommunicator(router, "/").connect();
    assert.deepEqual(result, { connected: true, subprotocol: "ws", headers: [] });
  });

  test("routes channel scopes to the channel entry", async () => {
    let seen: Scope | undefined;
    const router = protocolTypeRouter({
      channel: async (scope) => {
        seen = scope;
      },
    });
    const scope: ChannelScope = { type: "channel", channel: "thumbnails" };
    await new ApplicationCommunicator(router, scope).wait();
    assert.equal(seen, scope);
  });

  test("throws UnknownScopeType naming the type and the configured ones", async () => {
    const router = protocolTypeRouter({ http: answer("http") });
    const communicator = new WebsocketCommunicator(router, "/");
    await assert.rejects(communicator.connect(), (error: unknown) => {
      assert.ok(error instanceof UnknownScopeType);
      assert.match(error.message, /scope type "websocket" \(configured: http\)/);
      return true;
    });
  });
});
