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

// ws calls the handleUpgrade callback synchronously (no verifyClient is set), so one shared
// callback can hand the socket over instead of a closure per connection.
let upgraded: WebSocket | null = null;

function captureUpgraded(ws: WebSocket): void {
  upgraded = ws;
}

/**
 * A `ws` server in `noServer` mode, used only to finish handshakes the application accepted:
 * its `handleProtocols` and `headers` hooks read the accept event being applied.
 */
export function createUpgrader(maxPayload: number): { upgrade: Upgrade; close: () => void } {
  const accepts = new WeakMap<IncomingMessage, WebsocketAcceptEvent>();
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload,
    handleProtocols: (_offered, req) => accepts.get(req)?.subprotocol ?? false,
  });
  wss.on("headers", (lines, req) => {
    for (const [name, value] of accepts.get(req)?.headers ?? []) lines.push(`${name}: ${value}`);
  });
  const upgrade: Upgrade = (req, socket, head, accept) => {
    accepts.set(req, accept);
    wss.handleUpgrade(req, socket, head, captureUpgraded);
    accepts.delete(req);
    const ws = upgraded;
    upgraded = null;
    return ws;
  };
  return { upgrade, close: () => wss.close() };
}
