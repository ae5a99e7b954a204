import { ClientConfigurationError } from "./errors.js";

/** What the client reads from a message event. */
export interface MessageLike {
  data: unknown;
}

/** What the client reads from a close event. */
export interface CloseLike {
  code: number;
  reason: string;
}

/**
 * The part of the WebSocket API the client uses, which the browser's `WebSocket` and the `ws`
 * package's client both have. The handlers take `never` because each implementation passes its
 * own event classes; the client reads only `data`, `code` and `reason`, which all of them carry.
 */
export interface WebSocketLike {
  readonly protocol: string;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A `WebSocket` class: the browser's, or `ws`'s in Node. */
export type WebSocketConstructor = new (url: string, protocols?: string[]) => WebSocketLike;

/** `given`, or the global `WebSocket` (browsers, Node 22+). */
export function webSocketClass(given: WebSocketConstructor | undefined): WebSocketConstructor {
  const found = given ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (found === undefined) {
    throw new ClientConfigurationError(
      'This runtime has no global WebSocket: pass one as the WebSocket option (in Node 20: import { WebSocket } from "ws").',
    );
  }
  return found;
}
