/**
 * Items by the instant they are due, in buckets `granularityMs` wide: one `Map` lookup per bucket
 * the clock passed, however many items wait. Items are due at the end of their bucket, so late by
 * less than `granularityMs`, never early.
 *
 * @example
 * ```ts
 * const wheel = new ExpiryWheel<string>(1000);
 * wheel.add("a", Date.now() + 5000);
 * setInterval(() => wheel.takeDue(Date.now()).forEach(expire), 1000);
 * ```
 */
export class ExpiryWheel<T> {
  readonly #granularityMs: number;
  readonly #buckets = new Map<number, Set<T>>();
  readonly #bucketOf = new Map<T, number>();
  #cursor: number;

  constructor(granularityMs: number, now = Date.now()) {
    this.#granularityMs = granularityMs;
    this.#cursor = this.#bucket(now);
  }

  /** Schedules `item` at `dueAt` (ms since the epoch), replacing its earlier schedule. */
  add(item: T, dueAt: number): void {
    this.delete(item);
    // an instant already passed goes in the next bucket the clock reaches
    const bucket = Math.max(this.#bucket(dueAt), this.#cursor);
    let items = this.#buckets.get(bucket);
    if (items === undefined) this.#buckets.set(bucket, (items = new Set()));
    items.add(item);
    this.#bucketOf.set(item, bucket);
  }

  delete(item: T): void {
    const bucket = this.#bucketOf.get(item);
    if (bucket === undefined) return;
    this.#bucketOf.delete(item);
    const items = this.#buckets.get(bucket);
    items?.delete(item);
    if (items?.size === 0) this.#buckets.delete(bucket);
  }

  /** Removes and returns the items due by `now`. */
  takeDue(now: number): T[] {
    const due: T[] = [];
    const last = this.#bucket(now) - 1;
    for (; this.#cursor <= last; this.#cursor++) {
      const items = this.#buckets.get(this.#cursor);
      if (items === undefined) continue;
      this.#buckets.delete(this.#cursor);
      for (const item of items) {
        this.#bucketOf.delete(item);
        due.push(item);
      }
    }
    return due;
  }

  #bucket(instant: number): number {
    return Math.floor(instant / this.#granularityMs) + 1;
  }
}
