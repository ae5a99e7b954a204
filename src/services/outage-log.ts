/** Where a service client writes its outage lines. Default `console.warn`. */
export type OutageLogger = (line: string) => void;

/**
 * One log line when a backing service (Redis, PostgreSQL) stops answering and one when it answers
 * again, however many requests fail in between: an outage must not flood the log. Feed it every
 * failure and every success; only the changes are written.
 *
 * @example
 * ```ts
 * const outage = new OutageLog("Redis session store", console.warn);
 * client.on("error", outage.failed);
 * client.on("ready", outage.recovered);
 * ```
 */
export class OutageLog {
  readonly #service: string;
  readonly #logger: OutageLogger;
  /** When the current outage began (`Date.now()`), or `null` while the service answers. */
  #since: number | null = null;

  constructor(service: string, logger: OutageLogger = console.warn) {
    this.#service = service;
    this.#logger = logger;
  }

  /** Whether the last thing heard from the service was a failure. */
  get down(): boolean {
    return this.#since !== null;
  }

  /** The service failed; logged only if it was answering until now. */
  readonly failed = (error: unknown): void => {
    if (this.#since !== null) return;
    this.#since = Date.now();
    const reason = error instanceof Error ? error.message : String(error);
    this.#logger(
      `${this.#service} unavailable (${reason}): requests that need it fail with 503 until it answers again.`,
    );
  };

  /** The service answered; logged only if it was down. */
  readonly recovered = (): void => {
    if (this.#since === null) return;
    const seconds = ((Date.now() - this.#since) / 1000).toFixed(1);
    this.#since = null;
    this.#logger(`${this.#service} available again after ${seconds} s.`);
  };
}
