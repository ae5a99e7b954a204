import assert from "node:assert/strict";
import { request } from "node:http";
import { connect as connectTcp } from "node:net";
import { describe, test } from "node:test";
import type { Application } from "../types/asgi.js";
import { allowedHostsCheck } from "./allowed-hosts.js";
import { formatAccess } from "./logger.js";
import { MESSAGE_RATE_CLOSE_CODE } from "./serve-options.js";
import { closed, connect, echo, nextMessage, startServer } from "./test-server.js";

/** Answers HTTP with 200 "ok" and runs `echo` for WebSockets. */
const app: Application = async (scope, receive, send) => {
  if (scope.type === "websocket") return echo()(scope, receive, send);
  await send({ type: "http.response.start", status: 200, headers: [] });
  await send({ type: "http.response.body", body: Buffer.from("ok") });
};

function get(port: number, path: string, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers = host === undefined ? {} : { host };
    const req = request({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

/** Sends `bytes` on a raw socket; resolves with what came back and when the socket closed. */
function rawExchange(
  port: number,
  bytes: string,
): Promise<{ reply: string; closedAfterMs: number }> {
  const started = performance.now();
  const socket = connectTcp(port, "127.0.0.1");
  if (bytes !== "") socket.write(bytes);
  let reply = "";
  socket.on("data", (chunk: Buffer) => (reply += chunk.toString()));
  socket.on("error", () => {});
  return new Promise((resolve) =>
    socket.on("close", () => resolve({ reply, closedAfterMs: performance.now() - started })),
  );
}

const matching = (lines: readonly string[], pattern: RegExp) =>
  lines.filter((line) => pattern.test(line));

describe("serve > limits", () => {
  test("closes a WebSocket with 4429 and one log line when it sends over maxMessagesPerSecond", async (t) => {
    const { wsUrl, logger } = await startServer(t, echo(), {
      maxMessagesPerSecond: 1,
      messageBurst: 5,
    });
    const ws = await connect(wsUrl("/flood/"));
    for (let i = 0; i < 20; i++) ws.send(`message ${i}`);
    const { code, reason } = await closed(ws);
    assert.equal(code, MESSAGE_RATE_CLOSE_CODE);
    assert.equal(reason, "message rate exceeded");
    await logger.accessCount(1);
    assert.equal(matching(logger.infos, /4429/).length, 1);
    assert.match(logger.infos[0] ?? "", /WebSocket \/flood\/ from 127\.0\.0\.1 closed with 4429/);
  });

  test("delivers every message of a WebSocket that stays within its burst", async (t) => {
    const { wsUrl, logger } = await startServer(t, echo(), {
      maxMessagesPerSecond: 1,
      messageBurst: 5,
    });
    const ws = await connect(wsUrl("/"));
    for (let i = 0; i < 5; i++) {
      ws.send(`message ${i}`);
      assert.equal((await nextMessage(ws)).data.toString(), `message ${i}`);
    }
    ws.close();
    assert.equal((await closed(ws)).code, 1005);
    assert.deepEqual(logger.infos, []);
  });

  test("answers 429 before the upgrade, logged once, when one address goes over maxHandshakesPerSecond", async (t) => {
    const { wsUrl, logger } = await startServer(t, app, {
      maxHandshakesPerSecond: 1,
      handshakeBurst: 2,
    });
    const open = [await connect(wsUrl("/")), await connect(wsUrl("/"))];
    await assert.rejects(connect(wsUrl("/")), /refused with 429/);
    await assert.rejects(connect(wsUrl("/")), /refused with 429/);
    assert.equal(matching(logger.infos, /429/).length, 1);
    assert.match(logger.infos[0] ?? "", /from 127\.0\.0\.1 refused with 429/);
    for (const ws of open) ws.close();
  });

  test("answers 503 before the upgrade, logged once, when maxConnections are open, and admits again after one closes", async (t) => {
    const { wsUrl, logger } = await startServer(t, app, { maxConnections: 2 });
    const first = await connect(wsUrl("/"));
    const second = await connect(wsUrl("/"));
    await assert.rejects(connect(wsUrl("/")), /refused with 503/);
    await assert.rejects(connect(wsUrl("/")), /refused with 503/);
    assert.equal(matching(logger.infos, /503/).length, 1);
    first.close();
    await closed(first);
    await logger.accessCount(1); // the closed socket left the server's count
    const third = await connect(wsUrl("/"));
    third.close();
    second.close();
  });

  test("closes a socket that sends half a request line within headersTimeoutMs, with 408 and one log line", async (t) => {
    const { handle, logger } = await startServer(t, app, { headersTimeoutMs: 400 });
    const [half, idle] = await Promise.all([
      rawExchange(handle.port, "GET /whoami/ HT"),
      rawExchange(handle.port, ""),
    ]);
    for (const { reply, closedAfterMs } of [half, idle]) {
      assert.match(reply, /^HTTP\/1\.1 408 /);
      assert.ok(closedAfterMs >= 350 && closedAfterMs < 1500, `closed after ${closedAfterMs}ms`);
    }
    assert.equal(matching(logger.infos, /408/).length, 2);
    assert.equal(await get(handle.port, "/"), 200);
  });

  test("answers 400 with one log line to HTTP and WebSocket requests whose Host is not in allowedHosts", async (t) => {
    const { handle, logger, wsUrl } = await startServer(t, app, {
      allowedHosts: ["127.0.0.1", ".example.com"],
    });
    assert.equal(await get(handle.port, "/", "evil.test"), 400);
    assert.equal(await get(handle.port, "/", "chat.example.com:8443"), 200);
    assert.equal(await get(handle.port, "/"), 200);
    await assert.rejects(connect(wsUrl("/"), [], { headers: { host: "evil.test" } }), /400/);
    const ws = await connect(wsUrl("/"));
    ws.close();
    assert.equal(matching(logger.infos, /400: Host "evil\.test" is not in allowedHosts/).length, 2);
    assert.equal(logger.infos.length, 2);
  });

  test("writes a path with an encoded line break as one escaped access line", async (t) => {
    const { handle, logger } = await startServer(t, app);
    await get(handle.port, "/whoami/%0aPOST%20/login/%20200%201.0ms%1b[2J%00");
    const [entry] = await logger.accessCount(1);
    const line = formatAccess(entry as NonNullable<typeof entry>);
    assert.equal(line.split("\n").length, 1);
    assert.match(line, /^GET \/whoami\/\\nPOST \/login\/ 200 1\.0ms\\x1b\[2J\\x00 200 /);
  });
});

describe("allowedHostsCheck", () => {
  test("matches as Django's ALLOWED_HOSTS: exact hosts, .domain patterns, ports ignored", () => {
    const allows = allowedHostsCheck(["localhost", ".example.com", "[::1]"]);
    assert.ok(allows !== null);
    for (const host of [
      "localhost",
      "LOCALHOST:8000",
      "example.com",
      "a.b.example.com.",
      "[::1]:80",
    ]) {
      assert.equal(allows(host), true, host);
    }
    for (const host of [
      undefined,
      "",
      "badexample.com",
      "example.com.evil",
      "a b",
      "localhost:x",
    ]) {
      assert.equal(allows(host), false, String(host));
    }
  });

  test("is off for null and for a list with *", () => {
    assert.equal(allowedHostsCheck(null), null);
    assert.equal(allowedHostsCheck(["example.com", "*"]), null);
  });

  test("refuses a pattern that is not a host", () => {
    assert.throws(() => allowedHostsCheck(["https://example.com"]), /not a host pattern/);
  });
});
