/**
 * `switchboard/client`: the browser side of a Switchboard application, with no dependencies.
 * See docs/client.md.
 */
import type { ConnectOptions } from "./connect-options.js";
import { SwitchboardSocket } from "./switchboard-socket.js";

export type { ReconnectPolicy } from "./backoff.js";
export { reconnectDelay } from "./backoff.js";
export type { ConnectOptions } from "./connect-options.js";
export * from "./errors.js";
export { exchangeHandoff, type HandoffOptions } from "./handoff.js";
export type { PostOptions } from "./post-json.js";
export type { WebSocketConstructor, WebSocketLike } from "./socket-like.js";
export {
  SwitchboardSocket,
  type CloseInfo,
  type OpenInfo,
  type ReconnectInfo,
  type RefusalInfo,
  type RequestOptions,
  type SocketEvents,
  type SocketState,
} from "./switchboard-socket.js";
export { TICKET_SUBPROTOCOL, type TicketSource } from "./tickets.js";

/**
 * Opens a JSON WebSocket to `url` (relative to the page, `http` becoming `ws`) that reconnects
 * after drops and reports refusals. `In` is what the server sends, `Out` what the page sends.
 *
 * @example
 * ```ts
 * const socket = connect<{ type: string; text: string }>("/ws/chat/lobby/", {
 *   protocols: ["switchboard.chat.v2"],
 *   reconnect: { minDelayMs: 500, maxDelayMs: 10_000 },
 * });
 * socket.on("message", (message) => console.log(message.text));
 * socket.on("refused", () => location.assign("/login/"));
 * ```
 */
export function connect<In = unknown, Out = unknown>(
  url: string,
  options: ConnectOptions = {},
): SwitchboardSocket<In, Out> {
  return new SwitchboardSocket<In, Out>(url, options);
}
