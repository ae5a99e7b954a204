import assert from "node:assert/strict";
import { once } from "node:events";
import { connect as connectTcp } from "node:net";
import { describe, test } from "node:test";
import { protocolTypeRouter } from "../src/routing/index.js";
import { allowedHostsOriginValidator, originValidator } from "../src/security/index.js";
import { connect, startServer } from "../src/server/test-server.js";
import type { Application, WebsocketScope } from "../src/types/asgi.js";

// The origin rules once over real sockets: a refused origin must be an HTTP 403 at the handshake,
// whatever the in-process communicator says about close codes.

const accepting: Application<WebsocketScope> = async (_scope, receive, send) => {
  await receive();
  await send({ type: "websocket.accept" });
  await receive();
};

const quiet = { logger: () => {} };

const serving = (allowed: string[]) =>
  protocolTypeRouter({ websocket: originValidator(accepting, allowed, quiet) });

/** The status line's code for a raw upgrade carrying `headers` (repeatable, unlike ws's options). */
async function handshakeStatus(port: number, headers: string[]): Promise<number> {
  const socket = connectTcp(port, "127.0.0.1");
  socket.write(
    "GET /ws/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" +
      headers.map((header) => `${header}\r\n`).join("") +
      "\r\n",
  );
  const [chunk] = (await once(socket, "data")) as [Buffer];
  socket.destroy();
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString("latin1"))?.[1]);
}

describe("origin checks behind the server", () => {
  test("answer 101 on the scheme's default port and 403 on another port", async (t) => {
    const server = await startServer(t, serving(["http://example.com"]));
    const ws = await connect(server.wsUrl("/ws/"), [], { origin: "http://example.com" });
    ws.close();
    await assert.rejects(
      connect(server.wsUrl("/ws/"), [], { origin: "http://example.com:8080" }),
      /refused with 403/,
    );
  });

  test("answer 403 to a handshake with two Origin headers, whichever comes first", async (t) => {
    const server = await startServer(t, serving(["http://good.test"]));
    const port = server.handle.port;
    assert.equal(await handshakeStatus(port, ["Origin: http://good.test"]), 101);
    assert.equal(
      await handshakeStatus(port, ["Origin: http://good.test", "Origin: http://evil.test"]),
      403,
    );
    assert.equal(
      await handshakeStatus(port, ["Origin: http://evil.test", "Origin: http://good.test"]),
      403,
    );
  });

  test("answer 403 to every handshake under allowedHostsOriginValidator([])", async (t) => {
    const server = await startServer(
      t,
      protocolTypeRouter({ websocket: allowedHostsOriginValidator(accepting, [], quiet) }),
    );
    await assert.rejects(
      connect(server.wsUrl("/ws/"), [], { origin: "http://127.0.0.1" }),
      /refused with 403/,
    );
    await assert.rejects(connect(server.wsUrl("/ws/")), /refused with 403/);
  });
});
