import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, test } from "node:test";
import { DenyConnection } from "../errors.js";
import type { Application, ReceiveEvent, WebsocketScope } from "../types/asgi.js";
import type { WebsocketAccessEntry } from "./logger.js";
import { SLOW_READER_CLOSE_CODE } from "./serve-options.js";
import { closed, connect, nextMessage, startServer } from "./test-server.js";

/** Accepts, then echoes every frame until the client leaves; records what it received. */
const echo =
  (events: ReceiveEvent[] = []): Application =>
  async (_scope, receive, send) => {
    events.push(await receive());
    await send({ type: "websocket.accept" });
    for (;;) {
      const event = await receive();
      events.push(event);
      if (event.type !== "websocket.receive") return;
      await send({ type: "websocket.send", text: event.text, bytes: event.bytes });
    }
  };

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

  test("keeps every frame, in order, while the application lags behind maxQueuedMessages", async (t) => {
    const texts: string[] = [];
    let release = () => {};
    const lagging = new Promise<void>((resolve) => (release = resolve));
    const { wsUrl } = await startServer(
      t,
      async (_scope, receive, send) => {
        await receive();
        await send({ type: "websocket.accept" });
        await lagging;
        while (texts.length < 200) {
          const event = await receive();
          if (event.type !== "websocket.receive") break;
          texts.push(event.text ?? "");
        }
        await send({ type: "websocket.send", text: "done" });
      },
      { maxQueuedMessages: 4 },
    );
    const ws = await connect(wsUrl("/"));
    const expected = Array.from({ length: 200 }, (_, i) => `message ${i}`);
    await Promise.all(
      expected.map(
        (text) =>
          new Promise<void>((resolve, reject) => ws.send(text, (e) => (e ? reject(e) : resolve()))),
      ),
    );
    release();
    assert.equal((await nextMessage(ws)).data.toString(), "done");
    assert.deepEqual(texts, expected);
    ws.close();
    await closed(ws);
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

  test("closes with 1009 when a frame is over maxMessageSize", async (t) => {
    const events: ReceiveEvent[] = [];
    const { wsUrl, logger } = await startServer(t, echo(events), { maxMessageSize: 1024 });
    const ws = await connect(wsUrl("/"));
    ws.send("x".repeat(1024));
    assert.equal((await nextMessage(ws)).data.length, 1024);
    ws.send("x".repeat(1025));
    assert.equal((await closed(ws)).code, 1009);
    await logger.accessCount(1);
    assert.equal((events.at(-1) as { code: number }).code, 1009);
  });

  test("answers 403 when the application neither accepts nor refuses within handshakeTimeoutMs", async (t) => {
    const events: ReceiveEvent[] = [];
    const { wsUrl, logger } = await startServer(
      t,
      async (_scope, receive) => {
        events.push(await receive());
        events.push(await receive());
      },
      { handshakeTimeoutMs: 20 },
    );
    await assert.rejects(connect(wsUrl("/slow")), /refused with 403/);
    const [entry] = await logger.accessCount(1);
    assert.equal((entry as WebsocketAccessEntry).outcome, "timeout");
    assert.deepEqual(events, [
      { type: "websocket.connect" },
      { type: "websocket.disconnect", code: 1006 },
    ]);
  });

  test("closes a client that does not read once its send buffer passes maxBufferedBytes", async (t) => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const messages = 2000;
    let sent = 0;
    const { wsUrl } = await startServer(
      t,
      async (_scope, receive, send) => {
        await receive();
        await send({ type: "websocket.accept" });
        for (; sent < messages; sent++) {
          await send({ type: "websocket.send", bytes: chunk });
          await new Promise(setImmediate);
        }
        await receive();
      },
      { maxBufferedBytes: 256 * 1024 },
    );
    const ws = await connect(wsUrl("/"));
    ws.pause();
    while (sent < messages) await new Promise(setImmediate);
    let received = 0;
    ws.on("message", (data: Buffer) => (received += data.length));
    const ending = closed(ws);
    ws.resume();
    const { code } = await ending;
    assert.equal(code, SLOW_READER_CLOSE_CODE);
    // 2000 × 64 KiB were sent; only the bounded buffer (plus what the kernel held) ever went out
    assert.ok(received < (messages * chunk.length) / 8, `received ${received} bytes`);
  });

  test("keepalive terminates a peer that stops answering pings and spares one that answers", async (t) => {
    const events: ReceiveEvent[] = [];
    const { wsUrl, logger } = await startServer(t, echo(events), { keepaliveIntervalMs: 10 });
    const live = await connect(wsUrl("/live"));
    const dead = await connect(wsUrl("/dead"), [], { autoPong: false });
    assert.equal((await closed(dead)).code, 1006);
    for (let pings = 0; pings < 5; pings++) await once(live, "ping");
    assert.equal(live.readyState, live.OPEN);
    const [entry] = await logger.accessCount(1);
    assert.equal((entry as WebsocketAccessEntry).path, "/dead");
    live.close();
    await closed(live);
  });

  test("graceful shutdown closes sockets with 1001, lets in-flight HTTP finish and refuses new connections", async (t) => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let requestStarted = () => {};
    const started = new Promise<void>((resolve) => (requestStarted = resolve));
    const events: ReceiveEvent[] = [];
    const { handle, wsUrl } = await startServer(t, async (scope, receive, send) => {
      if (scope.type === "websocket") return echo(events)(scope, receive, send);
      requestStarted();
      await held;
      await send({ type: "http.response.start", status: 200 });
      await send({ type: "http.response.body", body: Buffer.from("finished") });
    });
    const ws = await connect(wsUrl("/"));
    const inFlight = fetch(handle.url);
    await started;
    const closing = handle.close({ timeoutMs: 10_000 });
    assert.equal((await closed(ws)).code, 1001);
    await assert.rejects(fetch(handle.url));
    release();
    const res = await inFlight;
    assert.equal(await res.text(), "finished");
    await closing;
    assert.deepEqual(events.at(-1), {
      type: "websocket.disconnect",
      code: 1001,
      reason: "server shutting down",
    });
  });

  test("shutdown destroys what is left once the timeout passes", async (t) => {
    const { handle, wsUrl } = await startServer(t, async (_scope, receive, send) => {
      await receive();
      await send({ type: "websocket.accept" });
      await new Promise(() => {}); // never returns, never reads
    });
    const ws = await connect(wsUrl("/"));
    const ending = closed(ws);
    await handle.close({ timeoutMs: 20 });
    assert.ok([1001, 1006].includes((await ending).code));
  });
});
