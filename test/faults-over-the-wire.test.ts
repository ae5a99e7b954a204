import assert from "node:assert/strict";
import { get as httpGet } from "node:http";
import { describe, test } from "node:test";
import { Redis } from "ioredis";
import { WebsocketConsumer, type WebsocketFrame } from "../src/consumers/index.js";
import { cookieMiddleware, type CookieScope } from "../src/cookies/cookie-middleware.js";
import { protocolTypeRouter } from "../src/routing/index.js";
import { closed, connect, startServer } from "../src/server/test-server.js";
import { newSessionKey } from "../src/sessions/session-key.js";
import { sessionMiddleware, type SessionScope } from "../src/sessions/session-middleware.js";
import { RedisSessionStore } from "../src/stores/redis-session-store.js";
import type { WebsocketScope } from "../src/types/asgi.js";
import { sessionApp } from "./support/sessions.js";
import { TcpProxy } from "./support/tcp-proxy.js";

// A session store whose Redis goes away and comes back, over real sockets: what a browser sees
// (503 before the upgrade, 1011 after, within the deadline) and what the operator's log shows.

// The default deadline: a shorter one turns a reply slowed by a loaded CI machine into an outage.
const DEADLINE_MS = 1000;

class SessionCounter extends WebsocketConsumer<WebsocketScope & SessionScope> {
  override async connect(): Promise<void> {
    await this.scope.session.get("count");
    await this.accept();
  }

  override async receive({ text }: WebsocketFrame): Promise<void> {
    await this.scope.session.set("count", text ?? "");
    await this.scope.session.save();
    await this.send({ text: "saved" });
  }
}

/** Milliseconds `work` took, and what it resolved or rejected with. */
async function timed<T>(work: Promise<T>): Promise<{ ms: number; result: T | Error }> {
  const start = performance.now();
  const result = await work.catch((error: Error) => error);
  return { ms: performance.now() - start, result };
}

describe("a session store whose Redis is down", () => {
  test("answers 503 before the upgrade and closes 1011 after, within the deadline, logs the outage once and recovers", async (t) => {
    const proxy = new TcpProxy(6379);
    await proxy.up();
    const client = new Redis({ port: proxy.port, host: "127.0.0.1" });
    t.after(async () => {
      client.disconnect();
      await proxy.down();
    });
    const lines: string[] = [];
    const store = new RedisSessionStore({
      client,
      prefix: `faults-${process.pid}:`,
      operationTimeoutMs: DEADLINE_MS,
      logger: (line) => lines.push(line),
    });
    const server = await startServer(
      t,
      protocolTypeRouter({
        http: sessionApp(async (session) => void (await session.get("count")), { store }),
        websocket: cookieMiddleware()<WebsocketScope>(
          sessionMiddleware({ store })<WebsocketScope & CookieScope>(
            SessionCounter.asApp({ channelLayer: null }),
          ),
        ),
      }),
    );
    const cookie = `sessionid=${await newSessionKey()}`;
    const httpUrl = `http://127.0.0.1:${server.handle.port}/`;
    // node:http, not fetch: fetch never sends a Cookie header
    const get = () =>
      new Promise<number>((resolve, reject) => {
        httpGet(httpUrl, { headers: { cookie } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on("error", reject);
      });
    const open = () => connect(server.wsUrl("/ws/"), [], { headers: { cookie } });

    assert.equal(await get(), 200);
    const ws = await open();
    await proxy.down();

    ws.send("1");
    const { ms: closeMs, result: close } = await timed(closed(ws));
    assert.deepEqual(close, { code: 1011, reason: "" });
    assert.ok(closeMs < DEADLINE_MS + 700, `closed after ${closeMs} ms`);
    for (let i = 0; i < 3; i++) {
      const { ms, result } = await timed(get());
      assert.equal(result, 503);
      assert.ok(ms < DEADLINE_MS + 700, `answered after ${ms} ms`);
    }
    const { ms: refusedMs, result: refused } = await timed(open());
    assert.match(String(refused), /refused with 503/);
    assert.ok(refusedMs < DEADLINE_MS + 700, `refused after ${refusedMs} ms`);

    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0]!, /^Redis session store unavailable/);
    assert.deepEqual(server.logger.errors, [], "no error line per request");

    await proxy.up();
    let status = 0;
    for (let tries = 0; tries < 50 && status !== 200; tries++) {
      status = await get();
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 200);
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(lines[1]!, /^Redis session store available again after \d+\.\d s\.$/);
    (await open()).close();
  });
});
