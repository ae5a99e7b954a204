import assert from "node:assert/strict";
import { once } from "node:events";
import type { Socket } from "node:net";
import { describe, test, type TestContext } from "node:test";
import { DenyConnection } from "../errors.js";
import type { ReceiveEvent, WebsocketScope } from "../types/asgi.js";
import type { WebsocketAccessEntry } from "./logger.js";
import { gate } from "../../test/support/async.js";
import { closed, connect, echo, nextMessage, rawUpgrade, startServer } from "./test-server.js";

/** A client's text frame, masked as clients must. */
function maskedTextFrame(text: string): Buffer {
  const mask = Buffer.from([1, 2, 3, 4]);
  const payload = Buffer.from(text).map((byte, i) => byte ^ mask[i % 4]!);
  return Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload]);
}

/**
 * A client sends its upgrade request and `leave`s at once, while the application takes 50 ms to
 * decide: the handshake must end as gone, and the application see the disconnect.
 */
async function assertNoticedLeaving(t: TestContext, leave: (socket: Socket) => void) {
  const events: ReceiveEvent[] = [];
  const decided = gate();
  const { handle, logger } = await startServer(t, async (_scope, receive, send) => {
    events.push(await receive());
    await new Promise((resolve) => setTimeout(resolve, 50)); // the client leaves meanwhile
    events.push(await receive());
    await send({ type: "websocket.accept" });
    decided.open();
  });
  const socket = rawUpgrade(handle.port, "/leaving");
  leave(socket);
  await decided.promise;
  const [entry] = await logger.accessCount(1);
  assert.equal((entry as WebsocketAccessEntry).outcome, "gone");
  assert.deepEqual(events, [
    { type: "websocket.connect" },
    { type: "websocket.disconnect", code: 1006 },
  ]);
  socket.destroy();
}

describe("serve > WebSocket", () => {
  test("builds the scope and yields websocket.connect first", async (t) => {
    let seen: WebsocketScope | undefined;
    const events: ReceiveEvent[] = [];
    const { wsUrl } = await startServer(t, async (scope, receive, send) => {
      seen = scope as WebsocketScope;
      events.push(await receive());
      await send({ type: "websocket.accept", subprotocol: "chat.v1" });
      events.push(await receive());
    });
    const ws = await connect(wsUrl("/ws/ro%C3%B6m/?token=a%20b"), ["chat.v2", "chat.v1"]);
    ws.close();
    await closed(ws);
    assert.deepEqual(events[0], { type: "websocket.connect" });
    assert.ok(seen);
    assert.equal(seen.type, "websocket");
    assert.equal(seen.scheme, "ws");
    assert.equal(seen.path, "/ws/roöm/");
    assert.equal(seen.rawPath, "/ws/ro%C3%B6m/");
    assert.equal(seen.queryString, "token=a%20b");
    assert.deepEqual(seen.subprotocols, ["chat.v2", "chat.v1"]);
    assert.ok(seen.headers.some(([name]) => name === "sec-websocket-key"));
  });

  test("accepts with the subprotocol the application chose", async (t) => {
    const { wsUrl } = await startServer(t, async (_scope, receive, send) => {
      await receive();
      await send({ type: "websocket.accept", subprotocol: "chat.v1" });
      await receive();
    });
    const ws = await connect(wsUrl("/"), ["chat.v2", "chat.v1"]);
    assert.equal(ws.protocol, "chat.v1");
    ws.close();
    await closed(ws);
  });

  test("sends extra accept headers on the 101 response", async (t) => {
    const { wsUrl } = await startServer(t, async (_scope, receive, send) => {
      await receive();
      await send({ type: "websocket.accept", headers: [["x-server", "switchboard"]] });
      await receive();
    });
    const { WebSocket } = await import("ws");
    const ws = new WebSocket(wsUrl("/"));
    const opened = once(ws, "open");
    const [response] = (await once(ws, "upgrade")) as [{ headers: Record<string, string> }];
    assert.equal(response.headers["x-server"], "switchboard");
    await opened;
    ws.close();
    await closed(ws);
  });

  test("refuses an accept with a subprotocol the client did not offer (500, logged)", async (t) => {
    const { wsUrl, logger } = await startServer(t, async (_scope, receive, send) => {
      await receive();
      await send({ type: "websocket.accept", subprotocol: "nope" });
    });
    await assert.rejects(connect(wsUrl("/"), ["chat.v1"]), /refused with 500/);
    assert.match(String(logger.errors[0]?.error), /did not offer/);
  });

  test("echoes text frames as text and binary frames as bytes", async (t) => {
    const events: ReceiveEvent[] = [];
    const { wsUrl } = await startServer(t, echo(events));
    const ws = await connect(wsUrl("/echo"));
    ws.send("héllo");
    const textReply = await nextMessage(ws);
    assert.equal(textReply.isBinary, false);
    assert.equal(textReply.data.toString(), "héllo");
    ws.send(Buffer.from([0, 1, 255]));
    const binaryReply = await nextMessage(ws);
    assert.equal(binaryReply.isBinary, true);
    assert.deepEqual([...binaryReply.data], [0, 1, 255]);
    ws.close();
    await closed(ws);
    assert.deepEqual(events[1], { type: "websocket.receive", text: "héllo" });
    assert.deepEqual([...((events[2] as { bytes: Uint8Array }).bytes ?? [])], [0, 1, 255]);
  });

  test("hands the client's close code and reason to the application", async (t) => {
    const events: ReceiveEvent[] = [];
    const { wsUrl, logger } = await startServer(t, echo(events));
    const ws = await connect(wsUrl("/"));
    ws.close(4002, "bye");
    assert.deepEqual(await closed(ws), { code: 4002, reason: "bye" });
    const [entry] = await logger.accessCount(1);
    assert.deepEqual(events.at(-1), { type: "websocket.disconnect", code: 4002, reason: "bye" });
    assert.equal((entry as WebsocketAccessEntry).closeCode, 4002);
  });

  test("closes with the application's code and reason", async (t) => {
    const { wsUrl } = await startServer(t, async (_scope, receive, send) => {
      await receive();
      await send({ type: "websocket.accept" });
      await send({ type: "websocket.close", code: 4001, reason: "go away" });
      await receive();
    });
    const ws = await connect(wsUrl("/"));
    assert.deepEqual(await closed(ws), { code: 4001, reason: "go away" });
  });

  test("reports 1006 to the application when the client drops without a close frame", async (t) => {
    const events: ReceiveEvent[] = [];
    const { wsUrl, logger } = await startServer(t, echo(events));
    const ws = await connect(wsUrl("/"));
    ws.terminate();
    await logger.accessCount(1);
    assert.deepEqual(events.at(-1), { type: "websocket.disconnect", code: 1006, reason: "" });
  });

  test("tells an application still deciding that the client left, and accepting then is a no-op", async (t) => {
    const events: ReceiveEvent[] = [];
    const deciding = gate();
    const { handle, logger } = await startServer(t, async (_scope, receive, send) => {
      events.push(await receive());
      deciding.open();
      events.push(await receive());
      await send({ type: "websocket.accept" });
    });
    const socket = rawUpgrade(handle.port, "/deciding");
    await deciding.promise;
    socket.destroy();
    const [entry] = await logger.accessCount(1);
    assert.equal((entry as WebsocketAccessEntry).outcome, "gone");
    assert.deepEqual(events, [
      { type: "websocket.connect" },
      { type: "websocket.disconnect", code: 1006 },
    ]);
  });

  test("keeps a frame the client sent before the 101 and delivers it after accept", async (t) => {
    const events: ReceiveEvent[] = [];
    const received = gate();
    const { handle } = await startServer(t, async (_scope, receive, send) => {
      events.push(await receive());
      await new Promise((resolve) => setTimeout(resolve, 50)); // the frame arrives meanwhile
      await send({ type: "websocket.accept" });
      events.push(await receive());
      received.open();
    });
    const socket = rawUpgrade(handle.port, "/", maskedTextFrame("early"));
    await received.promise;
    socket.destroy();
    assert.deepEqual(events, [
      { type: "websocket.connect" },
      { type: "websocket.receive", text: "early" },
    ]);
  });

  test("delivers a frame sent with the request when the application accepts in the same turn", async (t) => {
    const events: ReceiveEvent[] = [];
    const received = gate();
    // no await of I/O before the accept: the socket is never watched during the handshake
    const { handle } = await startServer(t, async (_scope, receive, send) => {
      events.push(await receive());
      await send({ type: "websocket.accept" });
      events.push(await receive());
      received.open();
    });
    const socket = rawUpgrade(handle.port, "/", maskedTextFrame("with the request"));
    await received.promise;
    socket.destroy();
    assert.deepEqual(events, [
      { type: "websocket.connect" },
      { type: "websocket.receive", text: "with the request" },
    ]);
  });

  test("notices a client that half-closed right after its request while the application decides", async (t) => {
    await assertNoticedLeaving(t, (socket) => socket.end());
  });

  test("notices a client that reset the connection right after its request", async (t) => {
    await assertNoticedLeaving(t, (socket) => {
      socket.on("error", () => {});
      socket.resetAndDestroy();
    });
  });

  test("refuses the handshake with 403 and no upgrade when the application closes before accepting", async (t) => {
    const { wsUrl, logger } = await startServer(t, async (_scope, receive, send) => {
      await receive();
      await send({ type: "websocket.close" });
    });
    await assert.rejects(connect(wsUrl("/private")), /refused with 403/);
    const [entry] = await logger.accessCount(1);
    assert.deepEqual(
      { ...entry, durationMs: 0 },
      {
        type: "websocket",
        path: "/private",
        outcome: "refused",
        status: 403,
        closeCode: null,
        durationMs: 0,
      },
    );
  });

  test("refuses with 403 when the application throws DenyConnection before accepting", async (t) => {
    const { wsUrl, logger } = await startServer(t, async () => {
      throw new DenyConnection("not you");
    });
    await assert.rejects(connect(wsUrl("/")), /refused with 403/);
    assert.deepEqual(logger.errors, []);
  });

  test("answers 500 when the application throws before accepting", async (t) => {
    const { wsUrl, logger } = await startServer(t, async (_scope, receive) => {
      await receive();
      throw new Error("handshake bug");
    });
    await assert.rejects(connect(wsUrl("/")), /refused with 500/);
    assert.match(String((logger.errors[0]?.error as Error).stack), /handshake bug/);
  });

  test("closes with 1011 when the application throws after accepting, and keeps serving", async (t) => {
    let calls = 0;
    const { wsUrl, logger } = await startServer(t, async (scope, receive, send) => {
      if (calls++ > 0) return echo()(scope, receive, send);
      await receive();
      await send({ type: "websocket.accept" });
      await receive();
      throw new Error("consumer bug");
    });
    const first = await connect(wsUrl("/"));
    first.send("trigger");
    assert.equal((await closed(first)).code, 1011);
    assert.equal(logger.errors.length, 1);
    const second = await connect(wsUrl("/"));
    second.send("still here");
    assert.equal((await nextMessage(second)).data.toString(), "still here");
    second.close();
    await closed(second);
  });

  test("rejects websocket.send before websocket.accept with a ProtocolError", async (t) => {
    let failure: unknown;
    const { wsUrl } = await startServer(t, async (_scope, receive, send) => {
      await receive();
      failure = await send({ type: "websocket.send", text: "early" }).catch((error) => error);
      await send({ type: "websocket.close" });
    });
    await assert.rejects(connect(wsUrl("/")), /403/);
    assert.equal((failure as { code: string }).code, "PROTOCOL_ERROR");
  });
});
