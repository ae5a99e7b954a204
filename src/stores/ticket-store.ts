import { randomBytes } from "node:crypto";
import { sessionKeyHash } from "../sessions/session-key-hash.js";

/**
 * Where short-lived, single-use records live: session hand-off tokens and WebSocket connection
 * tickets. `mint` stores opaque `data` and resolves a fresh random ticket; `consume` resolves
 * that data once and `null` ever after (or once the ticket expired), atomically on the backend,
 * so two processes presenting the same ticket at once cannot both succeed. Implementations are
 * peers: `InMemoryTicketStore`, `SqlTicketStore` (SQLite or PostgreSQL) and `RedisTicketStore`
 * (`switchboard/redis`). They keep `ticketHash(ticket)`, never the ticket, and the data sealed
 * with a key only the ticket gives (`sealTicketData`), so a copy of the backend redeems nothing
 * and reads nothing (a hand-off's data is a session key). Backend failures
 * reject with `BackendUnavailable`.
 *
 * @example
 * ```ts
 * const tickets: TicketStore = new InMemoryTicketStore();
 * const ticket = await tickets.mint(JSON.stringify({ n: 1 }), 30_000);
 * await tickets.consume(ticket); // '{"n":1}'
 * await tickets.consume(ticket); // null
 * ```
 */
export interface TicketStore {
  /** Stores `data` for `ttlMs` milliseconds and resolves the ticket that redeems it. */
  mint(data: string, ttlMs: number): Promise<string>;
  /** The data minted under `ticket`, removing it; `null` when unknown, used or expired. */
  consume(ticket: string): Promise<string | null>;
  /** Removes expired tickets and resolves how many (0 where the backend expires them itself). */
  clearExpired(): Promise<number>;
}

/**
 * A new ticket: 256 bits from `crypto.randomBytes`, base64url, so it fits a query string and a
 * `Sec-WebSocket-Protocol` token unescaped.
 *
 * @example
 * ```ts
 * newTicket(); // "q3Zr...", 43 characters
 * ```
 */
export function newTicket(): string {
  return randomBytes(32).toString("base64url");
}

/**
 * The name a ticket is stored under: its SHA-256, as for session keys, so a copy of the backend
 * holds no ticket that could be redeemed.
 *
 * @example
 * ```ts
 * const name = ticketHash(ticket); // 64 hex characters
 * ```
 */
export const ticketHash: (ticket: string) => string = sessionKeyHash;
