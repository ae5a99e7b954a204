import type { ChannelMessage } from "../types/asgi.js";

/** A pending `receive()`: settled by the layer, or rejected when its signal aborts. */
export interface Waiter {
  resolve(message: ChannelMessage): void;
  reject(reason: unknown): void;
}

/** Where a layer keeps a channel's waiters; an aborted waiter is removed through it. */
export interface WaiterList {
  remove(waiter: Waiter): void;
}

/**
 * A waiter as a class, not closures: fan-out settles and re-creates one per receiver per message,
 * and every closure costs an allocation (and, under tsx, a `__name` call).
 */
class PendingReceive implements Waiter {
  readonly #settle: (message: ChannelMessage) => void;
  readonly #fail: (reason: unknown) => void;
  readonly list: WaiterList;
  readonly #pending: Set<PendingReceive> | undefined;

  constructor(
    settle: (message: ChannelMessage) => void,
    fail: (reason: unknown) => void,
    list: WaiterList,
    pending: Set<PendingReceive> | undefined,
  ) {
    this.#settle = settle;
    this.#fail = fail;
    this.list = list;
    this.#pending = pending;
    pending?.add(this);
  }

  resolve(message: ChannelMessage): void {
    this.#pending?.delete(this);
    this.#settle(message);
  }

  reject(reason: unknown): void {
    this.#pending?.delete(this);
    this.#fail(reason);
  }
}

/** The waiters pending on each signal; one abort listener per signal, not one per receive. */
const bySignal = new WeakMap<AbortSignal, Set<PendingReceive>>();

function pendingOn(signal: AbortSignal): Set<PendingReceive> {
  let pending = bySignal.get(signal);
  if (!pending) {
    const waiters = new Set<PendingReceive>();
    pending = waiters;
    bySignal.set(signal, waiters);
    signal.addEventListener(
      "abort",
      () => {
        for (const waiter of waiters) {
          waiter.list.remove(waiter);
          waiter.reject(signal.reason);
        }
      },
      { once: true },
    );
  }
  return pending;
}

/**
 * Creates the promise a `receive()` returns and the waiter that settles it. When `signal` aborts,
 * the waiter is removed from `list` and the promise rejects with the signal's reason. A consumer
 * passes the same signal to every receive of its connection, so the signal gets a single listener
 * for the connection's life instead of an add and a remove per message.
 *
 * @example
 * ```ts
 * const [promise, waiter] = abortableWaiter(signal, queue);
 * queue.waiters.push(waiter);
 * return promise;
 * ```
 */
export function abortableWaiter(
  signal: AbortSignal | undefined,
  list: WaiterList,
): [Promise<ChannelMessage>, Waiter] {
  const pending = signal && pendingOn(signal);
  let waiter!: PendingReceive;
  const promise = new Promise<ChannelMessage>((resolve, reject) => {
    waiter = new PendingReceive(resolve, reject, list, pending);
  });
  return [promise, waiter];
}
