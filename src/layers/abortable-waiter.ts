import type { ChannelMessage } from "../types/asgi.js";
import type { InPlaceReceiver } from "./channel-layer.js";

/** A pending `receive()`: settled by the layer, or rejected when its signal aborts. */
export interface Waiter {
  /**
   * Offers `message` to the receive's {@link InPlaceReceiver}: `true` when it took the message,
   * and the receive goes on waiting; else the layer settles the receive with it.
   */
  offer(message: ChannelMessage): boolean;
  resolve(message: ChannelMessage): void;
  reject(reason: unknown): void;
}

/** Where a layer keeps a channel's waiters; an aborted waiter is removed through it. */
export interface WaiterList {
  remove(waiter: Waiter): void;
}

/**
 * Hands `message` to the first receive waiting on `list`: in place if its receiver takes it (the
 * receive stays armed: docs/performance.md#frame-once-send-many), else by settling the receive.
 * `false` when no receive waits.
 */
export function handOver(list: { readonly waiters: Waiter[] }, message: ChannelMessage): boolean {
  const waiter = list.waiters[0];
  if (waiter === undefined) return false;
  if (!waiter.offer(message)) {
    list.waiters.shift();
    waiter.resolve(message);
  }
  return true;
}

/**
 * `list` with `item` appended. An empty list is replaced by a one-slot array: a push onto an
 * empty array allocates 17 slots (152 B), which a consumer's single pending receive then kept
 * for the connection's life (docs/performance.md#layer-receives).
 */
function appended<T>(list: T[], item: T): T[] {
  if (list.length === 0) return [item];
  list.push(item);
  return list;
}

/**
 * The receives pending on one signal, and whether it aborted. An array, not a Set: a consumer has
 * one receive pending at a time (docs/performance.md#layer-receives).
 */
class SignalWaiters {
  waiters: PendingReceive[] = [];
  aborted = false;

  remove(waiter: PendingReceive): void {
    const index = this.waiters.indexOf(waiter);
    if (index !== -1) this.waiters.splice(index, 1);
  }
}

/** A waiter as a class, not closures (docs/performance.md#layer-receives). */
class PendingReceive implements Waiter {
  readonly #settle: (message: ChannelMessage) => void;
  readonly #fail: (reason: unknown) => void;
  readonly list: WaiterList;
  readonly #signal: SignalWaiters | undefined;
  readonly #inPlace: InPlaceReceiver | undefined;

  constructor(
    settle: (message: ChannelMessage) => void,
    fail: (reason: unknown) => void,
    list: WaiterList,
    signal: SignalWaiters | undefined,
    inPlace: InPlaceReceiver | undefined,
  ) {
    this.#settle = settle;
    this.#fail = fail;
    this.list = list;
    this.#signal = signal;
    this.#inPlace = inPlace;
    if (signal) signal.waiters = appended(signal.waiters, this);
  }

  offer(message: ChannelMessage): boolean {
    return this.#inPlace !== undefined && this.#inPlace.takeInPlace(message);
  }

  resolve(message: ChannelMessage): void {
    this.#signal?.remove(this);
    this.#settle(message);
  }

  reject(reason: unknown): void {
    this.#signal?.remove(this);
    this.#fail(reason);
  }
}

/**
 * Makes the promises a layer's `receive()` returns, abortable by a signal. One per layer: it keeps
 * a record per signal (one abort listener per signal, not one per receive) and hands each new
 * promise's resolving functions to its waiter.
 *
 * @example
 * ```ts
 * const waiters = new AbortableWaiter();
 * if (waiters.isAborted(signal)) return Promise.reject(signal?.reason);
 * return waiters.waitOn(queue, signal);
 * ```
 */
export class AbortableWaiter {
  readonly #bySignal = new WeakMap<AbortSignal, SignalWaiters>();
  // one executor per layer, not a closure per receive: docs/performance.md#layer-receives
  #settleNext: ((message: ChannelMessage) => void) | null = null;
  #failNext: ((reason: unknown) => void) | null = null;
  readonly #capture = (
    resolve: (message: ChannelMessage) => void,
    reject: (reason: unknown) => void,
  ): void => {
    this.#settleNext = resolve;
    this.#failNext = reject;
  };

  /**
   * Whether `signal` has aborted, as `signal.aborted`, read from the record the signal's listener
   * keeps (docs/performance.md#layer-receives).
   */
  isAborted(signal: AbortSignal | undefined): boolean {
    return signal !== undefined && this.#waitersOn(signal).aborted;
  }

  /**
   * Creates the promise a `receive()` returns and queues the waiter that settles it on `list`.
   * When `signal` aborts, the waiter is removed from `list` and the promise rejects with the
   * signal's reason. A consumer passes the same signal to every receive of its connection, so the
   * signal gets a single listener for the connection's life. `inPlace` is the receiver the layer
   * offers a message to (through {@link Waiter.offer}) before settling the receive with it.
   */
  waitOn(
    list: WaiterList & { waiters: Waiter[] },
    signal: AbortSignal | undefined,
    inPlace?: InPlaceReceiver,
  ): Promise<ChannelMessage> {
    const promise = new Promise<ChannelMessage>(this.#capture);
    const waiter = new PendingReceive(
      this.#settleNext as (message: ChannelMessage) => void,
      this.#failNext as (reason: unknown) => void,
      list,
      signal && this.#waitersOn(signal),
      inPlace,
    );
    this.#settleNext = this.#failNext = null;
    list.waiters = appended(list.waiters, waiter);
    return promise;
  }

  #waitersOn(signal: AbortSignal): SignalWaiters {
    let record = this.#bySignal.get(signal);
    if (!record) {
      const waiters = (record = new SignalWaiters());
      this.#bySignal.set(signal, waiters);
      waiters.aborted = signal.aborted;
      signal.addEventListener(
        "abort",
        () => {
          waiters.aborted = true;
          for (const waiter of waiters.waiters.splice(0)) {
            waiter.list.remove(waiter);
            waiter.reject(signal.reason);
          }
        },
        { once: true },
      );
    }
    return record;
  }
}
