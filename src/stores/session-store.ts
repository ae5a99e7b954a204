/**
 * One stored session, as a {@link SessionStore} returns it.
 *
 * @example
 * ```ts
 * const record: SessionRecord | null = await store.load(key);
 * if (record) console.log(record.expiresAt.toISOString());
 * ```
 */
export interface SessionRecord {
  /** The session's data, JSON-encoded by `Session`; stores keep it opaque. */
  data: string;
  /** When the session stops being valid. Stores never return a record past this instant. */
  expiresAt: Date;
}

/**
 * Where sessions live. Implementations are peers: `InMemorySessionStore`, `SqlSessionStore`
 * (SQLite or PostgreSQL) and `RedisSessionStore` (`switchboard/redis`). Keys are chosen by
 * `Session`; a store only persists them. Backend failures reject with `BackendUnavailable`, never
 * with a result that looks like "no such session".
 *
 * @example
 * ```ts
 * const store: SessionStore = new InMemorySessionStore();
 * await store.save(key, JSON.stringify({ n: 1 }), new Date(Date.now() + 60_000), true); // true
 * await store.load(key); // { data: '{"n":1}', expiresAt: ... }
 * ```
 */
export interface SessionStore {
  /** The session stored under `key`, or `null` when there is none or it has expired. */
  load(key: string): Promise<SessionRecord | null>;
  /**
   * Writes `data` under `key`, valid until `expiresAt`. With `mustCreate` the write happens only
   * if `key` is free (resolves `false` on a collision); without it, only if `key` exists
   * (resolves `false` when it was deleted meanwhile). An expired session counts as absent.
   */
  save(key: string, data: string, expiresAt: Date, mustCreate: boolean): Promise<boolean>;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Whether an unexpired session is stored under `key`. */
  exists(key: string): Promise<boolean>;
  /** Removes expired sessions and resolves how many it removed (0 where the backend expires them itself). */
  clearExpired(): Promise<number>;
}
