import type { Redis } from "ioredis";
import { BackendUnavailable } from "../errors.js";
import { openTicketData, sealTicketData } from "./ticket-sealing.js";
import { newTicket, ticketHash, type TicketStore } from "./ticket-store.js";

/**
 * Options for {@link RedisTicketStore}.
 *
 * @example
 * ```ts
 * const options: RedisTicketStoreOptions = { client: new Redis(), prefix: "myapp:ticket:" };
 * ```
 */
export interface RedisTicketStoreOptions {
  /** The connection to use; the caller owns it and quits it. */
  client: Redis;
  /** Prepended to every ticket's name. Default `switchboard:ticket:`. */
  prefix?: string;
}

/**
 * {@link TicketStore} in Redis, from `switchboard/redis`: one key per ticket with a native TTL,
 * consumed with `GETDEL` (Redis 6.2+), so only one of any number of processes gets it.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * import { RedisTicketStore } from "switchboard/redis";
 *
 * const tickets = new RedisTicketStore({ client: new Redis(process.env.REDIS_URL) });
 * ```
 */
export class RedisTicketStore implements TicketStore {
  readonly #client: Redis;
  readonly #prefix: string;

  constructor(options: RedisTicketStoreOptions) {
    this.#client = options.client;
    this.#prefix = options.prefix ?? "switchboard:ticket:";
  }

  async mint(data: string, ttlMs: number): Promise<string> {
    const ticket = newTicket();
    const ttl = Math.max(1, Math.ceil(ttlMs));
    await this.#call(() =>
      this.#client.set(this.#prefix + ticketHash(ticket), sealTicketData(ticket, data), "PX", ttl),
    );
    return ticket;
  }

  async consume(ticket: string): Promise<string | null> {
    const sealed = await this.#call(() => this.#client.getdel(this.#prefix + ticketHash(ticket)));
    return sealed === null ? null : openTicketData(ticket, sealed);
  }

  /** Redis expires keys on its own: nothing to remove. */
  async clearExpired(): Promise<number> {
    return 0;
  }

  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (cause) {
      throw new BackendUnavailable(
        `Redis ticket store failed: ${(cause as Error | undefined)?.message ?? String(cause)}. ` +
          "Check that Redis is reachable.",
        { cause },
      );
    }
  }
}
