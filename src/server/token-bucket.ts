/**
 * A token bucket: `burst` tokens to start with, refilled at `perSecond`, one taken per event. Two
 * numbers and no timer; the rate and burst are passed in, so a server's buckets share them.
 *
 * @example
 * ```ts
 * const bucket = new TokenBucket(10, performance.now());
 * if (!bucket.take(performance.now(), 5, 10)) refuse();
 * ```
 */
export class TokenBucket {
  #tokens: number;
  /** When `#tokens` was last brought up to date (on `performance.now()`'s clock). */
  #at: number;

  constructor(burst: number, now: number) {
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes a token if there is one; `false` when the rate is exceeded. */
  take(now: number, perSecond: number, burst: number): boolean {
    const tokens = Math.min(burst, this.#tokens + ((now - this.#at) * perSecond) / 1000);
    this.#at = now;
    if (tokens < 1) {
      this.#tokens = tokens;
      return false;
    }
    this.#tokens = tokens - 1;
    return true;
  }

  /** Whether the bucket has refilled completely, so forgetting it changes nothing. */
  isFull(now: number, perSecond: number, burst: number): boolean {
    return this.#tokens + ((now - this.#at) * perSecond) / 1000 >= burst;
  }
}
