import { openTicketData, sealTicketData } from "./ticket-sealing.js";
import { newTicket, ticketHash, type TicketStore } from "./ticket-store.js";

interface Entry {
  data: string;
  expiresAt: number;
}

/**
 * {@link TicketStore} in a `Map` of this process: for tests and a single process. A ticket minted
 * here cannot be redeemed by another process. Expired entries are dropped when read and swept on
 * every 1000th mint.
 *
 * @example
 * ```ts
 * const tickets = new InMemoryTicketStore();
 * ```
 */
export class InMemoryTicketStore implements TicketStore {
  readonly #entries = new Map<string, Entry>();
  #mints = 0;

  async mint(data: string, ttlMs: number): Promise<string> {
    const ticket = newTicket();
    this.#entries.set(ticketHash(ticket), {
      data: sealTicketData(ticket, data),
      expiresAt: Date.now() + ttlMs,
    });
    if (++this.#mints % 1000 === 0) await this.clearExpired();
    return ticket;
  }

  async consume(ticket: string): Promise<string | null> {
    const name = ticketHash(ticket);
    const entry = this.#entries.get(name);
    this.#entries.delete(name);
    return entry !== undefined && entry.expiresAt > Date.now()
      ? openTicketData(ticket, entry.data)
      : null;
  }

  async clearExpired(): Promise<number> {
    const now = Date.now();
    let removed = 0;
    for (const [name, entry] of this.#entries) {
      if (entry.expiresAt <= now && this.#entries.delete(name)) removed++;
    }
    return removed;
  }
}
