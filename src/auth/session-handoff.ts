import type { SessionScope } from "../sessions/session-middleware.js";
import type { TicketStore } from "../stores/ticket-store.js";
import { mintTicket } from "./ticket-record.js";

/**
 * Options for {@link sessionHandoff}.
 *
 * @example
 * ```ts
 * const token = await sessionHandoff(this.scope, tickets, { ttlSeconds: 30 } satisfies SessionHandoffOptions);
 * ```
 */
export interface SessionHandoffOptions {
  /** How long the page has to exchange the token. Default 60. */
  ttlSeconds?: number;
}

/**
 * Hands the connection's session to the page that opened the socket. `login()` inside a WebSocket
 * consumer rotates the session key, but the browser keeps the old cookie (Channels #1745): call
 * this after `login()`, send the token over the socket, and have the page `POST` it to
 * `sessionHandoffApp`, whose answer sets the new session cookie. Saves the session first if it has
 * unsaved changes. The token works once, for `ttlSeconds`, and only at the hand-off endpoint.
 *
 * @example
 * ```ts
 * override async receive({ text }: WebsocketFrame) {
 *   const user = await authenticate(JSON.parse(text ?? "{}"), this.scope);
 *   if (user === null) return this.send({ text: "wrong username or password" });
 *   await login(this.scope, user);
 *   await this.sendJson({ handoff: await sessionHandoff(this.scope, tickets) });
 * }
 * // page: await fetch("/session/handoff/", { method: "POST",
 * //   headers: { "content-type": "application/json" }, body: JSON.stringify({ token }) });
 * ```
 */
export async function sessionHandoff(
  scope: SessionScope,
  tickets: TicketStore,
  options: SessionHandoffOptions = {},
): Promise<string> {
  const { session } = scope;
  if (session.modified || session.sessionKey === null) await session.save();
  const sessionKey = session.sessionKey ?? "";
  const maxAge = session.expireAtBrowserClose ? null : session.getExpiryAge();
  return mintTicket(tickets, { kind: "handoff", sessionKey, maxAge }, options.ttlSeconds ?? 60);
}
