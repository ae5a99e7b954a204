import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  authMiddlewareStack,
  type AuthMiddlewareStackOptions,
} from "../src/auth/auth-middleware-stack.js";
import { ModelBackend } from "../src/auth/model-backend.js";
import { protocolTypeRouter } from "../src/routing/index.js";
import { connect, startServer } from "../src/server/test-server.js";
import { InMemorySessionStore } from "../src/stores/in-memory-session-store.js";
import type { Application, HttpScope, WebsocketScope } from "../src/types/asgi.js";
import { SqliteDatabase } from "../src/stores/sqlite-database.js";
import { SqlUserStore } from "../src/users/sql-user-store.js";

// authMiddlewareStack checks Origin on WebSocket handshakes by default: over real sockets, a
// refused origin must be an HTTP 403 at the handshake.

const accepting: Application<WebsocketScope> = async (_scope, receive, send) => {
  await receive();
  await send({ type: "websocket.accept" });
  await receive();
};

const ok: Application<HttpScope> = async (_scope, _receive, send) => {
  await send({ type: "http.response.start", status: 200 });
  await send({ type: "http.response.body", body: Buffer.from("ok") });
};

const base: AuthMiddlewareStackOptions = {
  store: new InMemorySessionStore(),
  backends: [new ModelBackend({ users: new SqlUserStore(new SqliteDatabase(":memory:")) })],
  secretKey: "origin-stack-secret-0123456789abcdefghij",
};

const serving = (options: Partial<AuthMiddlewareStackOptions> = {}) =>
  protocolTypeRouter({
    websocket: authMiddlewareStack(accepting, { ...base, ...options }),
    http: authMiddlewareStack(ok, { ...base, ...options }),
  });

async function opens(url: string, origin?: string): Promise<boolean> {
  try {
    const ws = await connect(url, [], origin === undefined ? {} : { origin });
    ws.close();
    return true;
  } catch (error) {
    assert.match((error as Error).message, /refused with 403/);
    return false;
  }
}

describe("authMiddlewareStack's origin check over the wire", () => {
  test("accepts a handshake from its own origin and refuses another with 403 by default", async (t) => {
    const server = await startServer(t, serving());
    const url = server.wsUrl("/ws/");
    assert.equal(await opens(url, `http://127.0.0.1:${server.handle.port}`), true);
    assert.equal(await opens(url, "http://evil.test"), false);
    assert.equal(await opens(url, "http://127.0.0.1"), false);
  });

  test("accepts a handshake without Origin (not a browser) by default", async (t) => {
    const server = await startServer(t, serving());
    assert.equal(await opens(server.wsUrl("/ws/")), true);
  });

  test("accepts only the listed origins under allowedOrigins", async (t) => {
    const server = await startServer(t, serving({ allowedOrigins: ["https://app.example.com"] }));
    const url = server.wsUrl("/ws/");
    assert.equal(await opens(url, "https://app.example.com"), true);
    assert.equal(await opens(url, `http://127.0.0.1:${server.handle.port}`), false);
    assert.equal(await opens(url), true);
  });

  test('accepts any origin under allowedOrigins: "*"', async (t) => {
    const server = await startServer(t, serving({ allowedOrigins: "*" }));
    assert.equal(await opens(server.wsUrl("/ws/"), "http://evil.test"), true);
  });

  test("leaves HTTP requests alone", async (t) => {
    const server = await startServer(t, serving());
    const response = await fetch(`http://127.0.0.1:${server.handle.port}/`, {
      headers: { origin: "http://evil.test" },
    });
    assert.equal(response.status, 200);
  });
});
