// Replay a failure: FC_SEED=<seed> FC_PATH=<path> node scripts/test.js src/server/request-head.property.test.ts
import assert from "node:assert/strict";
import { connect } from "node:net";
import { describe, test } from "node:test";
import type { TestContext } from "node:test";
import fc from "fast-check";
import { fuzzRuns } from "../../test/support/fuzz.js";
import { cookieMiddleware } from "../cookies/index.js";
import type { CookieScope } from "../cookies/index.js";
import { path, protocolTypeRouter, urlRouter } from "../routing/index.js";
import { sessionMiddleware } from "../sessions/index.js";
import type { SessionScope } from "../sessions/index.js";
import { InMemorySessionStore } from "../stores/index.js";
import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";
import { startServer } from "./test-server.js";
import type { TestServer } from "./test-server.js";

/** What came back for one connection's bytes, and whether the server ended it in time. */
interface Exchange {
  statuses: number[];
  ended: boolean;
}

const ANSWER_WITHIN_MS = 3000;

/**
 * Writes `bytes` on a fresh connection, half-closes it as a client that has said everything,
 * and collects what the server answers until it closes the connection.
 */
function exchange(port: number, bytes: Uint8Array): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
      resolve({ statuses, ended });
    };
    const timer = setTimeout(() => finish(false), ANSWER_WITHIN_MS);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.once("close", () => finish(true));
    socket.once("error", () => {}); // a reset is an ending too; "close" follows it
    socket.end(bytes);
  });
}

const WELL_FORMED = Buffer.from(
  "GET /ok/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
);

/** An application with the parts that read the head: cookies, the session, the router. */
function application(): Application {
  const ok: Application<HttpScope & SessionScope> = async (scope, _receive, send) => {
    await scope.session.get("user");
    await send({ type: "http.response.start", status: 200 });
    await send({ type: "http.response.body", body: Buffer.from("ok") });
  };
  const chat: Application<WebsocketScope & SessionScope> = async (scope, receive, send) => {
    await scope.session.get("user");
    await receive();
    await send({ type: "websocket.accept" });
    while ((await receive()).type === "websocket.receive");
  };
  const sessions = sessionMiddleware({ store: new InMemorySessionStore() });
  const quiet = { logger: () => {} };
  const http = cookieMiddleware()<HttpScope>(
    sessions<HttpScope & CookieScope>(urlRouter([path("ok/", ok)], quiet)),
  );
  const websocket = cookieMiddleware()<WebsocketScope>(
    sessions<WebsocketScope & CookieScope>(urlRouter([path("ws/", chat)], quiet)),
  );
  return protocolTypeRouter({ http, websocket });
}

/**
 * Sends `bytes`, then checks the server's promise to a hostile client: it answered with no 5xx
 * (a 4xx, or a success when the bytes happened to be a request) or closed, logged no failure,
 * and still answers the next well-formed request.
 */
async function survives(server: TestServer, bytes: Uint8Array): Promise<void> {
  const { handle, logger } = server;
  const { statuses, ended } = await exchange(handle.port, bytes);
  assert.ok(ended, `no answer and no close within ${ANSWER_WITHIN_MS} ms`);
  for (const status of statuses) assert.ok(status < 500, `answered ${status}`);
  assert.deepEqual(logger.errors, []);
  const next = await exchange(handle.port, WELL_FORMED);
  assert.deepEqual(next.statuses, [200], "the next well-formed request");
}

/**
 * Serves the application and checks that it {@link survives} every case `bytes` generates. The
 * server runs in this process, so an exception it lets escape fails the test without going
 * through fast-check: the monitor prints the case that caused it, to replay by hand.
 */
async function assertSurvives(
  t: TestContext,
  bytes: fc.Arbitrary<Uint8Array>,
  numRuns: number,
): Promise<void> {
  const server = await startServer(t, application(), {
    handshakeTimeoutMs: 1000,
    maxBodySize: 64 * 1024,
  });
  let current: Uint8Array = new Uint8Array();
  const monitor = (error: unknown) => {
    const sent = JSON.stringify(Buffer.from(current).toString("latin1"));
    console.error(`escaped from the server while it served ${sent}:`, error);
  };
  // node:test fails the test on either; these only name the case first
  process.on("uncaughtExceptionMonitor", monitor);
  process.on("unhandledRejection", monitor);
  t.after(() => {
    process.off("uncaughtExceptionMonitor", monitor);
    process.off("unhandledRejection", monitor);
  });
  await fc.assert(
    fc.asyncProperty(bytes, (sent) => {
      current = sent;
      return survives(server, sent);
    }),
    fuzzRuns(numRuns),
  );
}

// One character per byte, any of the 256: what a client can put on the wire as text.
const latin1 = (maxLength: number) =>
  fc.string({
    unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c)),
    maxLength,
  });
/** Mostly `usual`, sometimes `hostile`: a head with every part broken at once only tests the parser's first check. */
const mostly = <T>(usual: fc.Arbitrary<T>, hostile: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: usual, weight: 9 }, { arbitrary: hostile, weight: 1 });
const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/);
const method = mostly(
  fc.constantFrom("GET", "POST", "PUT", "HEAD", "OPTIONS", "DELETE", "PATCH"),
  fc.oneof(fc.constantFrom("CONNECT", "TRACE", "PRI", "get"), token, latin1(10)),
);
const target = mostly(
  fc.oneof(
    fc.constantFrom("/ok/", "/ok/?a=1", "/ok/?a=%ZZ&__proto__=x", "//ok/", "/%6Fk/", "/nowhere/"),
    fc.constantFrom("/%", "/%00", "/..%2f..%2fok/", "http://x/ok/", "/ok/#frag", "*"),
    fc.webPath().map((path) => `/${path}`),
  ),
  fc.oneof(
    fc.constantFrom("http://[::1", "ok/", "/\u00ff", "/ok/\t", ""),
    latin1(40).map((text) => `/${text}`),
    latin1(20),
  ),
);
const version = mostly(
  fc.constantFrom("HTTP/1.1", "HTTP/1.0"),
  fc.oneof(
    fc.constantFrom("HTTP/2.0", "HTTP/0.9", "HTTP/1.1 ", "http/1.1", "HTTP/1.10"),
    latin1(10),
  ),
);
const headerName = mostly(
  fc.oneof(
    fc.constantFrom(
      "Cookie",
      "Content-Length",
      "Transfer-Encoding",
      "Connection",
      "Expect",
      "Origin",
    ),
    fc.constantFrom(
      "Upgrade",
      "Sec-WebSocket-Key",
      "Sec-WebSocket-Version",
      "Sec-WebSocket-Protocol",
    ),
    token,
  ),
  fc.oneof(fc.constantFrom("Host", " Host", "Host ", "", "X\u00ff"), latin1(12)),
);
const headerValue = mostly(
  fc.oneof(
    fc.constantFrom("websocket", "Upgrade", "chunked", "chunked, chunked", "13", "8", "-1", "0"),
    fc.constantFrom("99999999999999999999", "dGhlIHNhbXBsZSBub25jZQ==", "100-continue", "1e3"),
    fc.constantFrom("sessionid=abcdefghijklmnopqrstuvwxyz012345; __proto__=x", "a,,b, ,", "null"),
    fc.stringMatching(/^[\x20-\x7e]{0,30}$/),
  ),
  fc.oneof(latin1(30), fc.string({ unit: "grapheme", maxLength: 10 })),
);
const lineEnd = mostly(fc.constant("\r\n"), fc.constantFrom("\n", "\r", "\r\r\n"));
/** A request head built from fuzzed parts, in UTF-8 or one byte per character. */
const requestHead = fc
  .record({
    method,
    target,
    version,
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
    separator: mostly(fc.constantFrom(": ", ":"), fc.constantFrom(" : ", ":\t", "")),
    eol: lineEnd,
    body: mostly(fc.constant(""), latin1(40)),
    utf8: fc.boolean(),
  })
  .map(({ method, target, version, headers, separator, eol, body, utf8 }) => {
    const lines = [`${method} ${target} ${version}`, "Host: localhost"];
    for (const [name, value] of headers) lines.push(`${name}${separator}${value}`);
    return Buffer.from(`${lines.join(eol)}${eol}${eol}${body}`, utf8 ? "utf8" : "latin1");
  });
/** A valid WebSocket handshake with fuzzed headers added to it, some overriding its own. */
const upgradeHead = fc
  .record({
    target: fc.oneof(
      fc.constantFrom("/ws/", "/nowhere/", "/ws/?x=%ZZ"),
      latin1(20).map((t) => `/${t}`),
    ),
    headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
    frames: fc.uint8Array({ maxLength: 64 }),
  })
  .map(({ target, headers, frames }) => {
    const extra = headers.map(([name, value]) => `${name}: ${value}\r\n`).join("");
    const head =
      `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
      `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`;
    return Buffer.concat([Buffer.from(head, "latin1"), frames]);
  });

describe("serve > request head (property)", () => {
  test("survives arbitrary bytes: answers 4xx or closes, and serves the next request", (t) =>
    assertSurvives(t, fc.uint8Array({ maxLength: 512 }), 100));

  test("survives any method, target, version, header name and value", (t) =>
    assertSurvives(t, requestHead, 200));

  test("survives a WebSocket handshake with hostile headers, target and early frames", (t) =>
    assertSurvives(t, upgradeHead, 100));
});
