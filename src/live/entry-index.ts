/**
 * Entries under string keys (a session's hash, a user's id) where most keys hold one entry: such
 * a key holds the entry itself, and a `Set` only while it holds two or more.
 */
export class EntryIndex<T extends object> {
  // A user with one socket is the common case; a Set per key cost ~150 B per socket and key
  // (docs/performance.md, "Live sessions index their sockets without a Set each").
  readonly #byKey = new Map<string, T | Set<T>>();

  add(key: string, entry: T): void {
    const held = this.#byKey.get(key);
    if (held === undefined) this.#byKey.set(key, entry);
    else if (held instanceof Set) held.add(entry);
    else if (held !== entry) this.#byKey.set(key, new Set([held, entry]));
  }

  delete(key: string, entry: T): void {
    const held = this.#byKey.get(key);
    if (held === entry) {
      this.#byKey.delete(key);
    } else if (held instanceof Set && held.delete(entry) && held.size === 1) {
      this.#byKey.set(key, held.values().next().value as T);
    }
  }

  /** The entries under `key`, in a new array: closing them may delete them from this index. */
  get(key: string): T[] {
    const held = this.#byKey.get(key);
    if (held === undefined) return [];
    return held instanceof Set ? [...held] : [held];
  }

  /** How many entries `key` holds. */
  count(key: string): number {
    const held = this.#byKey.get(key);
    if (held === undefined) return 0;
    return held instanceof Set ? held.size : 1;
  }

  /** Every entry, in a new array. */
  all(): T[] {
    return [...this.#byKey.values()].flatMap((held) => (held instanceof Set ? [...held] : [held]));
  }
}
