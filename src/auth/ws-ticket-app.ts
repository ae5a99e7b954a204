import type { SessionScope } from "../sessions/session-middleware.js";
import type { TicketStore } from "../stores/ticket-store.js";
import type { Application, HttpScope } from "../types/asgi.js";
import type { UserScope } from "./auth-middleware.js";
import { acceptPost, sendJson } from "./ticket-endpoint.js";
import { mintTicket } from "./ticket-record.js";

/**
 * Options for {@link wsTicketApp}.
 *
 * @example
 * ```ts
 * const options: WsTicketAppOptions = { tickets, ttlSeconds: 20 };
 * ```
 */
export interface WsTicketAppOptions {
  /** Where tickets live; share it (SQL or Redis) between processes. */
  tickets: TicketStore;
  /** How long a ticket may wait before it is presented. Default 30. */
  ttlSeconds?: number;
}

/**
 * An HTTP endpoint that mints a connection ticket for the logged-in session: mount it under
 * `authMiddlewareStack` and `POST` to it (same origin) with the CSRF token in `X-CSRFToken`, which
 * the stack checks like any form; it answers `{"ticket": "...", "expiresIn": 30}`, or 401 for an
 * anonymous user. The ticket opens one WebSocket as that session
 * (see `ticketAuthMiddleware`), for clients that cannot send the cookie with the handshake.
 *
 * @example
 * ```ts
 * const http = authMiddlewareStack(
 *   urlRouter([path("ws-ticket/", wsTicketApp({ tickets })), path("", pages, { nested: true })]),
 *   auth,
 * );
 * ```
 */
export function wsTicketApp(
  options: WsTicketAppOptions,
): Application<HttpScope & SessionScope & UserScope> {
  const { tickets, ttlSeconds = 30 } = options;
  return async function wsTicket(scope, receive, send) {
    if ((await acceptPost(scope, receive, send, false)) === null) return;
    const sessionKey = scope.session.sessionKey;
    if (!scope.user.isAuthenticated || sessionKey === null) {
      return sendJson(send, 401, { error: "Log in first." });
    }
    const ticket = await mintTicket(tickets, { kind: "connect", sessionKey }, ttlSeconds);
    await sendJson(send, 200, { ticket, expiresIn: ttlSeconds });
  };
}
