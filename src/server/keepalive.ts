import type { WebSocket } from "ws";

/** Sockets pinged and not answered yet: the next keepalive round terminates them. */
const awaitingPong = new WeakSet<WebSocket>();

function answeredPing(this: WebSocket): void {
  awaitingPong.delete(this);
}

/**
 * One keepalive round for a socket: terminate it if it never answered the previous ping, else
 * ping it (docs/performance.md#shared-listeners).
 */
export function keepalive(ws: WebSocket): void {
  if (awaitingPong.has(ws)) {
    ws.terminate();
    return;
  }
  // listening for pongs starts with the first ping, keeping the handshake path short
  if (ws.listenerCount("pong") === 0) ws.on("pong", answeredPing);
  awaitingPong.add(ws);
  ws.ping();
}
