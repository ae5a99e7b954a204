import assert from "node:assert/strict";
import { describe, test, type TestContext } from "node:test";
import { WebSocket } from "ws";
import {
  connect,
  QueueFull,
  RequestTimeout,
  SocketClosed,
  type ConnectOptions,
} from "../../src/client/index.js";
import { serve } from "../../src/server/serve.js";
import { RecordingLogger, startServer } from "../../src/server/test-server.js";
import { nextEvent, recordEvents } from "./events.js";
import { probeApp, type ProbeMessage, type ProbeReply } from "./probe-app.js";

// Short waits: a test's reconnections should not take seconds.
const FAST: ConnectOptions = { WebSocket, reconnect: { minDelayMs: 10, maxDelayMs: 50 } };

function open(t: TestContext, url: string, options: ConnectOptions = {}) {
  const socket = connect<ProbeReply, ProbeMessage>(url, { ...FAST, ...options });
  t.after(() => socket.close());
  return socket;
}

describe("switchboard/client over real sockets", () => {
  test("sends and receives JSON; a request resolves with the reply carrying its ref", async (t) => {
    const server = await startServer(t, probeApp());
    const socket = open(t, server.wsUrl("/ws/probe/"));
    const events = recordEvents(socket);
    const pushed = nextEvent(socket, "message");
    // Sent before the socket is open: queued, then sent in order.
    socket.send({ do: "push", text: "first" });
    const reply = await socket.request({ do: "echo", text: "café" });
    assert.deepEqual(await pushed, { pushed: "first" });
    assert.deepEqual(reply, { echo: "café", ref: "1" });
    assert.equal(socket.state, "open");
    // The reply went to the request, not to the message listeners.
    assert.deepEqual(events, ["open", "message"]);
  });

  test("a request with no reply rejects with RequestTimeout; the socket stays open", async (t) => {
    const server = await startServer(t, probeApp());
    const socket = open(t, server.wsUrl("/ws/probe/"));
    await assert.rejects(socket.request({ do: "silent" }, { timeoutMs: 20 }), RequestTimeout);
    assert.deepEqual(await socket.request({ do: "echo", text: "still here" }), {
      echo: "still here",
      ref: "2",
    });
  });

  test("reconnects after the server restarts, and sends what was queued meanwhile", async (t) => {
    const logger = new RecordingLogger();
    const first = await serve(probeApp(), { port: 0, logger });
    const { port } = first;
    const socket = open(t, `ws://127.0.0.1:${port}/ws/probe/`);
    assert.deepEqual(await nextEvent(socket, "open"), { protocol: "", reconnected: false });

    const closed = nextEvent(socket, "close");
    await first.close({ timeoutMs: 1000 });
    assert.deepEqual(await closed, {
      code: 1001,
      reason: "server shutting down",
      refused: false,
      willReconnect: true,
    });
    assert.equal(socket.state, "reconnecting");
    // Attempts fail while nothing listens; each one is a drop, not a refusal.
    const failed = await nextEvent(socket, "close");
    assert.equal(failed.willReconnect, true);
    const queued = socket.request({ do: "echo", text: "queued" });

    const second = await serve(probeApp(), { port, logger });
    t.after(() => second.close({ timeoutMs: 1000 }));
    assert.deepEqual(await nextEvent(socket, "open"), { protocol: "", reconnected: true });
    assert.deepEqual(await queued, { echo: "queued", ref: "1" });
  });

  test("a request sent before a drop rejects with SocketClosed; the socket reconnects", async (t) => {
    const server = await startServer(t, probeApp());
    const socket = open(t, server.wsUrl("/ws/probe/"));
    const silent = socket.request({ do: "silent" });
    await nextEvent(socket, "open");
    socket.send({ do: "close", code: 1011, reason: "server error" });
    await assert.rejects(silent, (error: unknown) => {
      assert.ok(error instanceof SocketClosed);
      assert.equal(error.code, 1011);
      return true;
    });
    assert.deepEqual(await nextEvent(socket, "open"), { protocol: "", reconnected: true });
  });

  for (const code of [4001, 4429, 1008]) {
    test(`close code ${code} is a refusal: no reconnection, and sending says the socket is closed`, async (t) => {
      const server = await startServer(t, probeApp());
      const socket = open(t, server.wsUrl("/ws/probe/"));
      const events = recordEvents(socket);
      const refused = nextEvent(socket, "refused");
      const closed = nextEvent(socket, "close");
      socket.send({ do: "close", code, reason: "session ended" });
      const info = { code, reason: "session ended" };
      assert.deepEqual(await closed, { ...info, refused: true, willReconnect: false });
      assert.deepEqual(await refused, { ...info, handshake: false });
      assert.equal(socket.state, "closed");
      assert.deepEqual(events, ["open", "close", "refused"]);
      assert.throws(() => socket.send({ do: "silent" }), SocketClosed);
      await assert.rejects(socket.request({ do: "silent" }), SocketClosed);
    });
  }

  test("a refused handshake (403) is a refusal, never retried", async (t) => {
    const server = await startServer(t, probeApp());
    const socket = open(t, server.wsUrl("/ws/refuse/"));
    const events = recordEvents(socket);
    const queued = socket.request({ do: "silent" });
    assert.deepEqual(await nextEvent(socket, "refused"), {
      code: 1006,
      reason: "",
      handshake: true,
    });
    assert.equal(socket.state, "closed");
    assert.deepEqual(events, ["close", "refused"]);
    await assert.rejects(queued, SocketClosed);
    const handshakes = server.logger.accesses.filter((entry) => entry.path === "/ws/refuse/");
    assert.equal(handshakes.length, 1);
  });

  test("a server that closes with 1000 finished: no reconnection, no refusal", async (t) => {
    const server = await startServer(t, probeApp());
    const socket = open(t, server.wsUrl("/ws/probe/"));
    const events = recordEvents(socket);
    socket.send({ do: "close", code: 1000, reason: "done" });
    assert.deepEqual(await nextEvent(socket, "close"), {
      code: 1000,
      reason: "done",
      refused: false,
      willReconnect: false,
    });
    assert.deepEqual(events, ["open", "close"]);
  });

  test("with reconnect: false a drop closes the socket for good", async (t) => {
    const server = await startServer(t, probeApp());
    const socket = open(t, server.wsUrl("/ws/probe/"), { reconnect: false });
    socket.send({ do: "close", code: 1011, reason: "" });
    const closed = await nextEvent(socket, "close");
    assert.equal(closed.willReconnect, false);
    assert.equal(socket.state, "closed");
  });

  test("the queue is bounded while not connected", async (t) => {
    const server = await startServer(t, probeApp());
    const socket = open(t, server.wsUrl("/ws/probe/"), { maxQueue: 2 });
    socket.send({ do: "push", text: "1" });
    socket.send({ do: "push", text: "2" });
    assert.throws(() => socket.send({ do: "push", text: "3" }), QueueFull);
    assert.deepEqual(await nextEvent(socket, "message"), { pushed: "1" });
  });

  test("close() rejects waiting requests and stops for good", async (t) => {
    const server = await startServer(t, probeApp());
    const socket = open(t, server.wsUrl("/ws/probe/"));
    await nextEvent(socket, "open");
    const waiting = socket.request({ do: "silent" });
    socket.close();
    await assert.rejects(waiting, SocketClosed);
    assert.equal(socket.state, "closed");
  });

  test("a URL the WebSocket class rejects is reported and closes the socket for good", async (t) => {
    const socket = open(t, "ftp://127.0.0.1/ws/probe/");
    const error = await nextEvent(socket, "error");
    assert.match(error.message, /protocol must be/);
    assert.equal(socket.state, "closed");
    assert.throws(() => socket.send({ do: "silent" }), SocketClosed);
  });
});
