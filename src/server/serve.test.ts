import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, test } from "node:test";
import type { ReceiveEvent } from "../types/asgi.js";
import type { WebsocketAccessEntry } from "./logger.js";
import { SLOW_READER_CLOSE_CODE } from "./serve-options.js";
import { closed, connect, echo, nextMessage, startServer } from "./test-server.js";

describe("serve > limits, keepalive and shutdown", () => {
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

  test("answers 503, not 403, when the application neither accepts nor refuses within handshakeTimeoutMs", async (t) => {
    const events: ReceiveEvent[] = [];
    const { wsUrl, logger } = await startServer(
      t,
      async (_scope, receive) => {
        events.push(await receive());
        events.push(await receive());
      },
      { handshakeTimeoutMs: 20 },
    );
    await assert.rejects(connect(wsUrl("/slow")), /refused with 503/);
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

  test("a burst sent in the accepting tick is not taken for a slow reader's backlog", async (t) => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const { wsUrl } = await startServer(
      t,
      async (_scope, receive, send) => {
        await receive();
        // accept and send without giving up the tick
        await send({ type: "websocket.accept" });
        await send({ type: "websocket.send", bytes: chunk });
        await send({ type: "websocket.send", bytes: chunk });
        await send({ type: "websocket.send", text: "done" });
        await receive();
      },
      { maxBufferedBytes: 100 * 1024 },
    );
    const ws = await connect(wsUrl("/"));
    const sizes: number[] = [];
    const ending = closed(ws);
    ws.on("message", (data: Buffer) => sizes.push(data.length));
    while (sizes.length < 3 && ws.readyState === ws.OPEN) await new Promise(setImmediate);
    assert.deepEqual(sizes, [chunk.length, chunk.length, 4]);
    ws.close();
    assert.equal((await ending).code, 1005);
  });

  test("keepalive terminates a peer that stops answering pings and spares one that answers", async (t) => {
    const events: ReceiveEvent[] = [];
    // a round long enough that a loaded CI machine stalling the event loop cannot miss a pong
    const { wsUrl, logger } = await startServer(t, echo(events), { keepaliveIntervalMs: 100 });
    const live = await connect(wsUrl("/live"));
    const dead = await connect(wsUrl("/dead"), [], { autoPong: false });
    const liveEnded = closed(live);
    assert.equal((await closed(dead)).code, 1006);
    for (let pings = 0; pings < 3; pings++) {
      const ping = once(live, "ping").then(() => "ping");
      const outcome = await Promise.race([ping, liveEnded.then(({ code }) => `closed ${code}`)]);
      assert.equal(outcome, "ping", "the peer that answers pings was terminated");
    }
    assert.equal(live.readyState, live.OPEN);
    const [entry] = await logger.accessCount(1);
    assert.equal((entry as WebsocketAccessEntry).path, "/dead");
    live.close();
    await liveEnded;
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
