import type { ChannelMessage } from "../types/asgi.js";

/** A pending `receive()`: settled by the layer, or rejected when its signal aborts. */
export interface Waiter {
  resolve(message: ChannelMessage): void;
  reject(reason: unknown): void;
}

/** The waiters pending on each signal; one abort listener per signal, not one per receive. */
const bySignal = new WeakMap<AbortSignal, Set<AbortableWaiter>>();

interface AbortableWaiter extends Waiter {
  detach(): void;
}

/**
 * Creates the promise a `receive()` returns and the waiter that settles it. When `signal` aborts,
 * `detach` removes the waiter from the layer's queue and the promise rejects with the signal's
 * reason. A consumer passes the same signal to every receive of its connection, so the signal
 * gets a single listener for the connection's life instead of an add and a remove per message.
 *
 * @example
 * ```ts
 * const [promise, waiter] = abortableWaiter(signal, () => queue.remove(waiter));
 * queue.push(waiter);
 * return promise;
 * ```
 */
export function abortableWaiter(
  signal: AbortSignal | undefined,
  detach: (waiter: Waiter) => void,
): [Promise<ChannelMessage>, Waiter] {
  let settle!: (message: ChannelMessage) => void;
  let fail!: (reason: unknown) => void;
  const promise = new Promise<ChannelMessage>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  let pending = signal && bySignal.get(signal);
  if (signal && !pending) {
    const waiters = new Set<AbortableWaiter>();
    pending = waiters;
    bySignal.set(signal, waiters);
    signal.addEventListener(
      "abort",
      () => {
        for (const waiter of waiters) {
          waiter.detach();
          waiter.reject(signal.reason);
        }
      },
      { once: true },
    );
  }
  const waiter: AbortableWaiter = {
    resolve(message) {
      pending?.delete(waiter);
      settle(message);
    },
    reject(reason) {
      pending?.delete(waiter);
      fail(reason);
    },
    detach: () => detach(waiter),
  };
  pending?.add(waiter);
  return [promise, waiter];
}
