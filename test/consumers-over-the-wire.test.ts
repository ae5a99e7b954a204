import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HttpConsumer, JsonWebsocketConsumer, WebsocketConsumer } from "../src/consumers/index.js";
import { path, protocolTypeRouter, urlRouter } from "../src/routing/index.js";
import { closed, connect, nextMessage, startServer } from "../src/server/test-server.js";
import type { PathKwargs, RoutedScope } from "../src/routing/index.js";
import type { WebsocketScope } from "../src/types/asgi.js";

// The same semantics the communicator tests check, once over real sockets: what the consumers
// send must mean to the server what the communicators assume.

type RoomScope = RoutedScope<WebsocketScope, PathKwargs<"json/<int:id>/">>;
class Json extends JsonWebsocketConsumer<RoomScope> {
  override receiveJson(content: unknown) {
    return this.sendJson({ echo: content, id: this.scope.urlRoute.kwargs.id });
  }
}
class Broken extends WebsocketConsumer {
  override receive(): void {
    throw new Error("boom");
  }
}
class Refuser extends WebsocketConsumer {
  override connect() {
    return this.close();
  }
}
class Small extends HttpConsumer {
  static override maxBodySize = 4;
  override handle(body: Buffer) {
    return this.sendResponse(200, body);
  }
}

const quiet = { logger: () => {} };
const app = protocolTypeRouter({
  http: urlRouter([path("small/", Small.asApp())], quiet),
  websocket: urlRouter(
    [
      path("json/<int:id>/", Json.asApp()),
      path("broken/", Broken.asApp()),
      path("refuse/", Refuser.asApp()),
    ],
    quiet,
  ),
});

describe("consumers behind the server", () => {
  test("refuse with 403 on no route and on close before accept", async (t) => {
    const server = await startServer(t, app);
    await assert.rejects(connect(server.wsUrl("/nowhere/")), /refused with 403/);
    await assert.rejects(connect(server.wsUrl("/refuse/")), /refused with 403/);
  });

  test("route int kwargs, answer JSON, close 1007 on malformed JSON", async (t) => {
    const server = await startServer(t, app);
    const ws = await connect(server.wsUrl("/json/7/"));
    ws.send(JSON.stringify({ a: 1 }));
    assert.deepEqual(JSON.parse((await nextMessage(ws)).data.toString()), {
      echo: { a: 1 },
      id: 7,
    });
    const closing = closed(ws);
    ws.send("{bad");
    assert.equal((await closing).code, 1007);
  });

  test("close 1007 naming the limit on JSON nested past maxJsonDepth, logging no error", async (t) => {
    const server = await startServer(t, app);
    const ws = await connect(server.wsUrl("/json/7/"));
    const deepest = "[".repeat(128) + "]".repeat(128);
    ws.send(deepest);
    assert.deepEqual(JSON.parse((await nextMessage(ws)).data.toString()), {
      echo: JSON.parse(deepest),
      id: 7,
    });
    const closing = closed(ws);
    ws.send("[".repeat(5000) + "]".repeat(5000));
    const { code, reason } = await closing;
    assert.equal(code, 1007);
    assert.equal(reason, "JSON nested deeper than 128 levels");
    const [entry] = await server.logger.accessCount(1);
    assert.equal(entry && "closeCode" in entry && entry.closeCode, 1007);
    assert.deepEqual(server.logger.errors, []);
  });

  test("close 1011 when a handler throws after accept", async (t) => {
    const server = await startServer(t, app);
    const ws = await connect(server.wsUrl("/broken/"));
    const closing = closed(ws);
    ws.send("x");
    assert.equal((await closing).code, 1011);
  });

  test("answer HTTP 413 over the body limit and 404 off the routes", async (t) => {
    const server = await startServer(t, app);
    const big = await fetch(`${server.handle.url}/small/`, { method: "POST", body: "abcdef" });
    assert.equal(big.status, 413);
    await big.text();
    const ok = await fetch(`${server.handle.url}/small/`, { method: "POST", body: "abcd" });
    assert.equal(await ok.text(), "abcd");
    const missing = await fetch(`${server.handle.url}/none/`);
    assert.equal(missing.status, 404);
    await missing.text();
  });
});
