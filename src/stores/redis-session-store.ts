import type { Redis } from "ioredis";
import { BackendUnavailable } from "../errors.js";
import { OutageLog, type OutageLogger } from "../services/outage-log.js";
import { withDeadline } from "../services/with-deadline.js";
import { isSessionKey } from "../sessions/session-key.js";
import { sessionKeyHash } from "../sessions/session-key-hash.js";
import type { SessionRecord, SessionStore } from "./session-store.js";

/**
 * Options for {@link RedisSessionStore}.
 *
 * @example
 * ```ts
 * const options: RedisSessionStoreOptions = { client: new Redis(), prefix: "myapp:session:" };
 * ```
 */
export interface RedisSessionStoreOptions {
  /**
   * The connection to use; the caller owns it and quits it. The store listens to its `error`
   * events (so ioredis logs no "Unhandled error event" per reconnect attempt) and `ready` events.
   */
  client: Redis;
  /** Prepended to every session's name. Default `switchboard:session:`. */
  prefix?: string;
  /**
   * Milliseconds an operation may take before it fails with `BackendUnavailable` (HTTP 503,
   * close 1011), whether Redis is down, reconnecting or slow. Default 1000.
   */
  operationTimeoutMs?: number;
  /** Where the one line per outage (and one per recovery) goes. Default `console.warn`. */
  logger?: OutageLogger;
}

/**
 * {@link SessionStore} in Redis, from `switchboard/redis`. Each session is one string key with
 * a native TTL (`SET ... PX`), so Redis drops expired sessions itself and `clearExpired()` has
 * nothing to do. `mustCreate` uses `NX` and an update `XX`, so a collision or a concurrent
 * delete is detected atomically. A session is named by `sessionKeyHash(key)`, never the key, so
 * a dump of Redis holds no usable key; a session saved under its raw key by an earlier version is
 * moved to its hashed name the first time it is loaded. While Redis is down or slow every
 * operation fails with `BackendUnavailable` within `operationTimeoutMs`, and the outage is logged
 * once, when it starts and when it ends.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * import { RedisSessionStore } from "switchboard/redis";
 *
 * const store = new RedisSessionStore({ client: new Redis(process.env.REDIS_URL) });
 * ```
 */
export class RedisSessionStore implements SessionStore {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #outage: OutageLog;

  constructor(options: RedisSessionStoreOptions) {
    this.#client = options.client;
    this.#prefix = options.prefix ?? "switchboard:session:";
    this.#timeoutMs = options.operationTimeoutMs ?? 1000;
    this.#outage = new OutageLog("Redis session store", options.logger);
    this.#client.on("error", this.#outage.failed);
    this.#client.on("ready", this.#outage.recovered);
  }

  async load(key: string): Promise<SessionRecord | null> {
    const name = this.#name(key);
    const record = await this.#read(name);
    if (record !== null || !isSessionKey(key)) return record;
    const moved = await this.#call(() => this.#client.eval(UPGRADE, 2, this.#prefix + key, name));
    return moved === 1 ? this.#read(name) : null;
  }

  async #read(name: string): Promise<SessionRecord | null> {
    const replies = await this.#call(() => this.#client.multi().get(name).pttl(name).exec());
    const [[getError, data] = [], [ttlError, ttl] = []] = replies ?? [];
    if (getError || ttlError) throw unavailable(getError ?? ttlError);
    if (typeof data !== "string" || typeof ttl !== "number" || ttl < 0) return null;
    return { data, expiresAt: new Date(Date.now() + ttl) };
  }

  async save(key: string, data: string, expiresAt: Date, mustCreate: boolean): Promise<boolean> {
    const name = this.#name(key);
    const ttl = expiresAt.getTime() - Date.now();
    // Redis refuses a TTL of zero or less. A session written already expired is gone at once:
    // an update removes the key (and reports whether it was there), a create stores nothing.
    if (ttl <= 0) {
      const present = mustCreate
        ? await this.#call(() => this.#client.exists(name))
        : await this.#call(() => this.#client.del(name));
      return mustCreate ? present === 0 : present === 1;
    }
    const reply = await this.#call(() =>
      mustCreate
        ? this.#client.set(name, data, "PX", ttl, "NX")
        : this.#client.set(name, data, "PX", ttl, "XX"),
    );
    return reply === "OK";
  }

  /** Removes the session under its raw name too, in case it was never loaded since the upgrade. */
  async delete(key: string): Promise<void> {
    await this.#call(() => this.#client.del(this.#name(key), this.#prefix + key));
  }

  async exists(key: string): Promise<boolean> {
    return (await this.#call(() => this.#client.exists(this.#name(key)))) === 1;
  }

  /** Redis expires keys on its own: nothing to remove. */
  async clearExpired(): Promise<number> {
    return 0;
  }

  #name(key: string): string {
    return this.#prefix + sessionKeyHash(key);
  }

  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      const reply = await withDeadline(command(), this.#timeoutMs, () => {
        const state = `connection ${this.#client.status}`;
        return new Error(`no reply within ${this.#timeoutMs} ms (${state})`);
      });
      this.#outage.recovered();
      return reply;
    } catch (error) {
      this.#outage.failed(error);
      throw unavailable(error);
    }
  }
}

// Moves a session from its raw name (KEYS[1]) to its hashed name (KEYS[2]), TTL included, unless
// the hashed name is taken; one script, so processes upgrading the same session at once agree.
const UPGRADE = `if redis.call("exists", KEYS[2]) == 0 and redis.call("exists", KEYS[1]) == 1 then
  redis.call("rename", KEYS[1], KEYS[2])
  return 1
end
return 0`;

function unavailable(cause: unknown): BackendUnavailable {
  return new BackendUnavailable(
    `Redis session store failed: ${(cause as Error | undefined)?.message ?? String(cause)}. ` +
      "Check that Redis is reachable.",
    { cause },
  );
}
