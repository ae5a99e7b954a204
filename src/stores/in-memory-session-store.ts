import { sessionKeyHash } from "../sessions/session-key-hash.js";
import type { SessionRecord, SessionStore } from "./session-store.js";

interface Entry {
  data: string;
  expiresAt: number;
}

/**
 * {@link SessionStore} in a `Map` of this process: for tests and single-process development.
 * Sessions vanish on restart and are not shared between processes. Entries are keyed by
 * `sessionKeyHash(key)`, as in every store. Expired entries are dropped when read and swept on
 * every 1000th write, so the map stays bounded by live sessions.
 *
 * @example
 * ```ts
 * const app = cookieMiddleware()(sessionMiddleware({ store: new InMemorySessionStore() })(inner));
 * ```
 */
export class InMemorySessionStore implements SessionStore {
  readonly #entries = new Map<string, Entry>();
  #writes = 0;

  async load(key: string): Promise<SessionRecord | null> {
    const entry = this.#live(sessionKeyHash(key));
    return entry ? { data: entry.data, expiresAt: new Date(entry.expiresAt) } : null;
  }

  async save(key: string, data: string, expiresAt: Date, mustCreate: boolean): Promise<boolean> {
    const name = sessionKeyHash(key);
    const exists = this.#live(name) !== undefined;
    if (exists === mustCreate) return false;
    this.#entries.set(name, { data, expiresAt: expiresAt.getTime() });
    if (++this.#writes % 1000 === 0) await this.clearExpired();
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(sessionKeyHash(key));
  }

  async exists(key: string): Promise<boolean> {
    return this.#live(sessionKeyHash(key)) !== undefined;
  }

  async clearExpired(): Promise<number> {
    const now = Date.now();
    let removed = 0;
    for (const [name, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#entries.delete(name);
        removed++;
      }
    }
    return removed;
  }

  #live(name: string): Entry | undefined {
    const entry = this.#entries.get(name);
    if (entry && entry.expiresAt <= Date.now()) {
      this.#entries.delete(name);
      return undefined;
    }
    return entry;
  }
}
