import type { Redis } from "ioredis";
import { BackendUnavailable } from "../errors.js";
import type { OutageLog } from "../services/outage-log.js";
import { withDeadline } from "../services/with-deadline.js";

/**
 * Whether `RedisChannelLayer`'s command connection can take a command: runs one once Redis is
 * reachable, waiting at most `unavailableTimeout` for a (re)connecting Redis, and turns what goes
 * wrong into `BackendUnavailable`, with the last connection error as its cause. Failures and
 * recoveries feed the layer's {@link OutageLog}, so an outage is logged once.
 *
 * @example
 * ```ts
 * const availability = new RedisAvailability(client, 1000, new OutageLog("Redis channel layer"));
 * client.on("error", availability.recordError);
 * await availability.call(() => client.unlink("asgi:ch:jobs"));
 * ```
 */
export class RedisAvailability {
  readonly #client: Redis;
  readonly #unavailableTimeout: number;
  readonly #outage: OutageLog;
  #closed = false;
  #lastError: unknown;
  #ready: Promise<void> | null = null;

  constructor(client: Redis, unavailableTimeout: number, outage: OutageLog) {
    this.#client = client;
    this.#unavailableTimeout = unavailableTimeout;
    this.#outage = outage;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** From now on every command rejects with {@link RedisAvailability.closedError}. */
  close(): void {
    this.#closed = true;
  }

  /** Remembers why a connection failed, as the cause of the next `BackendUnavailable`. */
  readonly recordError = (error: unknown): void => {
    this.#lastError = error;
    this.#outage.failed(error);
  };

  /** Runs a command once Redis is reachable, waiting at most `unavailableTimeout`. */
  async call<T>(command: () => Promise<T>): Promise<T> {
    if (this.#closed) throw this.closedError();
    if (this.#client.status !== "ready") await this.#waitReady();
    try {
      const reply = await command();
      this.#outage.recovered();
      return reply;
    } catch (error) {
      this.recordError(error);
      throw new BackendUnavailable(
        `Redis channel layer command failed: ${error instanceof Error ? error.message : String(error)}. Check that Redis is reachable.`,
        { cause: error },
      );
    }
  }

  closedError(): BackendUnavailable {
    return new BackendUnavailable(
      "This RedisChannelLayer was closed: create a new layer and install it with setChannelLayer.",
    );
  }

  /** One shared wait per outage, so a burst of commands adds one listener, not one each. */
  #waitReady(): Promise<void> {
    this.#ready ??= new Promise<void>((resolve) =>
      this.#client.once("ready", () => {
        this.#ready = null;
        resolve();
      }),
    );
    return withDeadline(this.#ready, this.#unavailableTimeout, () => {
      const error = new BackendUnavailable(
        `Redis is unreachable (connection ${this.#client.status} for ${this.#unavailableTimeout} ms): check REDIS_URL and that Redis runs; the layer reconnects by itself.`,
        { cause: this.#lastError },
      );
      this.#outage.failed(error);
      return error;
    });
  }
}
