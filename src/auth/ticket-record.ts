import type { TicketStore } from "../stores/ticket-store.js";

/**
 * What a ticket redeems. `kind` keeps the two uses apart: a connection ticket (which may pass
 * through a query string and an access log) can never be exchanged for a session cookie.
 */
export interface TicketRecord {
  kind: "connect" | "handoff";
  /** The session the ticket stands for. */
  sessionKey: string;
  /** Hand-off only: the cookie's `Max-Age` in seconds, `null` for a browser-session cookie. */
  maxAge?: number | null;
}

/** Mints a ticket for `record`, valid `ttlSeconds`. */
export function mintTicket(
  tickets: TicketStore,
  record: TicketRecord,
  ttlSeconds: number,
): Promise<string> {
  return tickets.mint(JSON.stringify(record), ttlSeconds * 1000);
}

/** Consumes `ticket`: its record when it is live, unused and of `kind`, else `null`. */
export async function redeemTicket(
  tickets: TicketStore,
  ticket: string,
  kind: TicketRecord["kind"],
): Promise<TicketRecord | null> {
  const data = await tickets.consume(ticket);
  if (data === null) return null;
  const record = JSON.parse(data) as Partial<TicketRecord>;
  return record.kind === kind && typeof record.sessionKey === "string"
    ? (record as TicketRecord)
    : null;
}
