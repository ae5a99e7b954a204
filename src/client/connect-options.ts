import type { ReconnectPolicy } from "./backoff.js";
import type { PostOptions } from "./post-json.js";
import type { WebSocketConstructor } from "./socket-like.js";
import type { TicketSource } from "./tickets.js";

/** Options of `connect()`. `csrfToken` and `headers` go with the ticket `POST`. */
export interface ConnectOptions extends PostOptions {
  /** Subprotocols to offer, e.g. `["switchboard.chat.v2"]`. */
  protocols?: string[];
  /** How to wait between reconnection attempts, or `false` never to reconnect. */
  reconnect?: ReconnectPolicy | false;
  /**
   * Connect with a ticket (for clients whose handshake cannot carry the session cookie): a
   * fresh one is fetched before every attempt and offered as the `switchboard.ticket.<ticket>`
   * subprotocol, which `ticketAuthMiddleware` reads.
   */
  ticket?: TicketSource;
  /** How many messages `send()` and `request()` keep while not connected. Default 100. */
  maxQueue?: number;
  /** Default `timeoutMs` of `request()`. Default 10 000. */
  requestTimeoutMs?: number;
  /** What relative URLs are resolved against. Default: the page's address. */
  baseUrl?: string;
  /** The WebSocket class. Default: the global one; in Node 20 pass `ws`'s. */
  WebSocket?: WebSocketConstructor;
}
