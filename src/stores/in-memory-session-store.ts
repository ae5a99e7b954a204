import type { SessionRecord, SessionStore } from "./session-store.js";

interface Entry {
  data: string;
  expiresAt: number;
}

/**
 * {@link SessionStore} in a `Map` of this process: for tests and single-process development.
 * Sessions vanish on restart and are not shared between processes. Expired entries are dropped
 * when read and swept on every 1000th write, so the map stays bounded by live sessions.
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
    const entry = this.#live(key);
    return entry ? { data: entry.data, expiresAt: new Date(entry.expiresAt) } : null;
  }

  async save(key: string, data: string, expiresAt: Date, mustCreate: boolean): Promise<boolean> {
    const exists = this.#live(key) !== undefined;
    if (exists === mustCreate) return false;
    this.#entries.set(key, { data, expiresAt: expiresAt.getTime() });
    if (++this.#writes % 1000 === 0) await this.clearExpired();
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async exists(key: string): Promise<boolean> {
    return this.#live(key) !== undefined;
  }

  async clearExpired(): Promise<number> {
    const now = Date.now();
    let removed = 0;
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#entries.delete(key);
        removed++;
      }
    }
    return removed;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
