/**
 * What the server's tests share: a server on a free port that is closed after the test, and a
 * logger that keeps what it is told so tests can assert on access lines and errors.
 */
import { connect as connectTcp } from "node:net";
import type { Socket } from "node:net";
import type { TestContext } from "node:test";
import { WebSocket } from "ws";
import type { ClientOptions } from "ws";
import type { Application, ReceiveEvent } from "../types/asgi.js";
import type { AccessEntry, Logger } from "./logger.js";
import { serve } from "./serve.js";
import type { ServeOptions, ServerHandle } from "./index.js";

/** A {@link Logger} that records instead of printing. */
export class RecordingLogger implements Logger {
  readonly accesses: AccessEntry[] = [];
  readonly errors: Array<{ message: string; error: unknown }> = [];
  readonly infos: string[] = [];
  #onAccess: (() => void) | null = null;

  access(entry: AccessEntry): void {
    this.accesses.push(entry);
    this.#onAccess?.();
  }
  info(message: string): void {
    this.infos.push(message);
  }
  error(message: string, error?: unknown): void {
    this.errors.push({ message, error });
  }

  /** Resolves once `count` access lines have been logged. */
  async accessCount(count: number): Promise<AccessEntry[]> {
    while (this.accesses.length < count) {
      await new Promise<void>((resolve) => (this.#onAccess = resolve));
    }
    return this.accesses;
  }
}

export interface TestServer {
  handle: ServerHandle;
  logger: RecordingLogger;
  /** `ws://host:port` + path. */
  wsUrl(path: string): string;
}

/** Serves `app` on 127.0.0.1 with a free port; closed when the test ends. */
export async function startServer(
  t: TestContext,
  app: Application,
  options: ServeOptions = {},
): Promise<TestServer> {
  const logger = new RecordingLogger();
  const handle = await serve(app, { port: 0, logger, ...options });
  t.after(() => handle.close({ timeoutMs: 1000 }));
  return { handle, logger, wsUrl: (path) => `ws://127.0.0.1:${handle.port}${path}` };
}

/** Opens a client WebSocket and waits for the upgrade; rejects with the status if refused. */
export function connect(
  url: string,
  protocols: string[] = [],
  options: ClientOptions = {},
): Promise<WebSocket> {
  const ws = new WebSocket(url, protocols, options);
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => {
      reject(new Error(`refused with ${res.statusCode}`));
      ws.terminate();
    });
    ws.once("error", reject);
  });
}

/**
 * Sends a WebSocket upgrade request over plain TCP, then `after` (e.g. frames sent before the
 * 101), for tests that need what a `ws` client will not do; the socket is the caller's to end.
 */
export function rawUpgrade(port: number, path: string, after: Buffer = Buffer.alloc(0)): Socket {
  const socket = connectTcp(port, "127.0.0.1");
  const request =
    `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
  socket.write(Buffer.concat([Buffer.from(request), after]));
  return socket;
}

/** Resolves with the close code and reason the client saw. */
export function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.reject(new Error("already closed"));
  return new Promise((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

/** The next message the client receives. */
export function nextMessage(ws: WebSocket): Promise<{ data: Buffer; isBinary: boolean }> {
  return new Promise((resolve) =>
    ws.once("message", (data, isBinary) => resolve({ data: data as Buffer, isBinary })),
  );
}

/** Accepts, then echoes every frame until the client leaves; records what it received. */
export const echo =
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
