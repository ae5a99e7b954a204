import type { WebsocketDisconnectEvent, WebsocketReceiveEvents } from "../types/asgi.js";

// The events a WebsocketSession puts on its application's receive queue by itself, frozen so
// every connection shares one of each.

/** The first event of every connection. */
export const CONNECT: WebsocketReceiveEvents = Object.freeze({ type: "websocket.connect" });

/** The connection ended without a close frame: refused, timed out, or the client left. */
export const DROPPED: WebsocketDisconnectEvent = Object.freeze({
  type: "websocket.disconnect",
  code: 1006,
});

/** The server shut down before the application answered the handshake. */
export const GOING_AWAY: WebsocketDisconnectEvent = Object.freeze({
  type: "websocket.disconnect",
  code: 1001,
});
