import type { Redis } from "ioredis";
import { BackendUnavailable } from "../errors.js";

/**
 * Whether `RedisChannelLayer`'s command connection can take a command: runs one once Redis is
 * reachable, waiting at most `unavailableTimeout` for a (re)connecting Redis, and turns what goes
 * wrong into `BackendUnavailable`, with the last connection error as its cause.
 *
 * @example
 * ```ts
 * const availability = new RedisAvailability(client, 1000);
 * client.on("error", availability.recordError);
 * await availability.call(() => client.unlink("asgi:ch:jobs"));
 * ```
 */
export class RedisAvailability {
  readonly #client: Redis;
  readonly #unavailableTimeout: number;
  #closed = false;
  #lastError: unknown;
  #ready: Promise<void> | null = null;

  constructor(client: Redis, unavailableTimeout: number) {
    this.#client = client;
    this.#unavailableTimeout = unavailableTimeout;
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
  };

  /** Runs a command once Redis is reachable, waiting at most `unavailableTimeout`. */
  async call<T>(command: () => Promise<T>): Promise<T> {
    if (this.#closed) throw this.closedError();
    if (this.#client.status !== "ready") await this.#waitReady();
    try {
      return await command();
    } catch (error) {
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
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new BackendUnavailable(
              `Redis is unreachable (connection ${this.#client.status} for ${this.#unavailableTimeout} ms): check REDIS_URL and that Redis runs; the layer reconnects by itself.`,
              { cause: this.#lastError },
            ),
          ),
        this.#unavailableTimeout,
      );
    });
    return Promise.race([this.#ready, timeout]).finally(() => clearTimeout(timer));
  }
}
