import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";
import type { WebsocketAcceptEvent } from "../types/asgi.js";

/**
 * Completes an accepted handshake: writes the 101 response with the chosen subprotocol and the
 * accept event's extra headers, and returns the socket; `null` if the client already left.
 */
export type Upgrade = (
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  accept: WebsocketAcceptEvent,
) => WebSocket | null;

// ws calls the handleUpgrade callback, handleProtocols and its "headers" listeners synchronously
// (no verifyClient is set), so the accept being applied and the socket handed over pass through
// two variables instead of a map and a closure per connection.
let applying: WebsocketAcceptEvent | null = null;
let upgraded: WebSocket | null = null;

function captureUpgraded(ws: WebSocket): void {
  upgraded = ws;
}

/**
 * A `ws` server in `noServer` mode, used only to finish handshakes the application accepted:
 * its `handleProtocols` and `headers` hooks read the accept event being applied.
 */
export function createUpgrader(maxPayload: number): { upgrade: Upgrade; close: () => void } {
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload,
    handleProtocols: () => applying?.subprotocol ?? false,
  });
  wss.on("headers", (lines) => {
    const extra = applying?.headers;
    if (extra !== undefined) for (const [name, value] of extra) lines.push(`${name}: ${value}`);
  });
  const upgrade: Upgrade = (req, socket, head, accept) => {
    applying = accept;
    try {
      wss.handleUpgrade(req, socket, head, captureUpgraded);
    } finally {
      applying = null;
    }
    const ws = upgraded;
    upgraded = null;
    return ws;
  };
  return { upgrade, close: () => wss.close() };
}
