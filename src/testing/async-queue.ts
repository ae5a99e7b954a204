/** A waiter parked in an {@link AsyncQueue}: settle it with an item or an error. */
interface Waiter<T> {
  resolve: (item: T) => void;
  reject: (error: unknown) => void;
}

/**
 * A FIFO whose readers wait for the next item. Items are handed to waiters in arrival order; once
 * {@link AsyncQueue.fail} is called every pending and future read rejects with that error.
 */
export class AsyncQueue<T> {
  readonly #items: T[] = [];
  readonly #waiters: Waiter<T>[] = [];
  #failure: { error: unknown } | null = null;

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(item);
    else this.#items.push(item);
  }

  /** The next item, waiting for one to arrive. */
  shift(): Promise<T> {
    return this.next().promise;
  }

  /** Like {@link AsyncQueue.shift}, plus `cancel()` to withdraw the read without losing an item. */
  next(): { promise: Promise<T>; cancel: () => void } {
    if (this.#items.length > 0) {
      return { promise: Promise.resolve(this.#items.shift() as T), cancel: () => {} };
    }
    if (this.#failure) return { promise: Promise.reject(this.#failure.error), cancel: () => {} };
    let waiter: Waiter<T> | undefined;
    const promise = new Promise<T>((resolve, reject) => {
      waiter = { resolve, reject };
      this.#waiters.push(waiter);
    });
    const cancel = () => {
      const index = waiter ? this.#waiters.indexOf(waiter) : -1;
      if (index !== -1) this.#waiters.splice(index, 1);
    };
    return { promise, cancel };
  }

  /** Rejects every pending and future read with `error`; queued items are still handed out first. */
  fail(error: unknown): void {
    this.#failure = { error };
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
  }
}
