import { PostFailed, TicketRefused } from "./errors.js";
import { postJson, type PostOptions } from "./post-json.js";
import { resolveUrl } from "./urls.js";

/**
 * Where a connection ticket comes from: the URL of a `wsTicketApp` endpoint, or a function
 * that gets one (throw `TicketRefused` from it to stop reconnecting).
 */
export type TicketSource = string | (() => Promise<string>);

/** The subprotocol prefix `ticketAuthMiddleware` reads a ticket from. */
export const TICKET_SUBPROTOCOL = "switchboard.ticket";

/**
 * A fresh ticket from `source`: tickets work once and expire within seconds, so the client
 * asks for one before every connection attempt. An endpoint answering 401 or 403 throws
 * `TicketRefused` (log in first); other failures throw `PostFailed`.
 */
export async function fetchTicket(
  source: TicketSource,
  baseUrl: string | undefined,
  options: PostOptions,
): Promise<string> {
  if (typeof source === "function") return source();
  const url = resolveUrl(source, baseUrl, false);
  const response = await postJson(url, {}, options, "No connection ticket", (status) =>
    status === 401 || status === 403 ? TicketRefused : PostFailed,
  );
  const { ticket } = (await response.json()) as { ticket?: unknown };
  if (typeof ticket !== "string") {
    throw new PostFailed(
      `No connection ticket: ${url} answered no "ticket" field.`,
      response.status,
    );
  }
  return ticket;
}

/** The subprotocols that present `ticket`; the server answers the plain `switchboard.ticket`. */
export function ticketProtocols(ticket: string): string[] {
  return [TICKET_SUBPROTOCOL, `${TICKET_SUBPROTOCOL}.${ticket}`];
}
