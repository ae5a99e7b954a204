import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import type { WebsocketAcceptEvent } from "../types/asgi.js";

/**
 * A `ws` server in `noServer` mode, used only to finish handshakes the application accepted:
 * writes the 101 response with the chosen subprotocol and the accept event's extra headers. One
 * per server.
 *
 * @example
 * ```ts
 * const upgrader = new Upgrader(1024 * 1024);
 * const ws = upgrader.upgrade(req, socket, head, { type: "websocket.accept" });
 * ```
 */
export class Upgrader {
  readonly #wss: WebSocketServer;
  // ws calls handleProtocols, its "headers" listeners and the handleUpgrade callback synchronously
  // (no verifyClient is set): see docs/performance.md#the-upgrader-hands-over-through-fields
  #applying: WebsocketAcceptEvent | null = null;
  #upgraded: WebSocket | null = null;
  readonly #capture = (ws: WebSocket): void => {
    this.#upgraded = ws;
  };

  constructor(maxPayload: number) {
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload,
      handleProtocols: () => this.#applying?.subprotocol ?? false,
    });
    this.#wss.on("headers", (lines: string[]) => {
      const extra = this.#applying?.headers;
      if (extra !== undefined) for (const [name, value] of extra) lines.push(`${name}: ${value}`);
    });
  }

  /** Completes an accepted handshake; `null` if the client already left (ws destroyed the socket). */
  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    accept: WebsocketAcceptEvent,
  ): WebSocket | null {
    this.#applying = accept;
    try {
      this.#wss.handleUpgrade(req, socket, head, this.#capture);
    } finally {
      this.#applying = null;
    }
    const ws = this.#upgraded;
    this.#upgraded = null;
    return ws;
  }

  close(): void {
    this.#wss.close();
  }
}
