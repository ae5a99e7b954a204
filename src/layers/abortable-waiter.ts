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
 * The receives pending on one signal, and whether it aborted: one abort listener per signal, not
 * one per receive. An array, not a Set: a consumer has one receive pending at a time, and a Set
 * would hash every new waiter.
 */
class SignalWaiters {
  readonly waiters: PendingReceive[] = [];
  aborted = false;

  remove(waiter: PendingReceive): void {
    const index = this.waiters.indexOf(waiter);
    if (index !== -1) this.waiters.splice(index, 1);
  }
}

/**
 * A waiter as a class, not closures: fan-out settles and re-creates one per receiver per message,
 * and every closure costs an allocation (and, under tsx, a `__name` call).
 */
class PendingReceive implements Waiter {
  readonly #settle: (message: ChannelMessage) => void;
  readonly #fail: (reason: unknown) => void;
  readonly list: WaiterList;
  readonly #signal: SignalWaiters | undefined;

  constructor(
    settle: (message: ChannelMessage) => void,
    fail: (reason: unknown) => void,
    list: WaiterList,
    signal: SignalWaiters | undefined,
  ) {
    this.#settle = settle;
    this.#fail = fail;
    this.list = list;
    this.#signal = signal;
    signal?.waiters.push(this);
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

const bySignal = new WeakMap<AbortSignal, SignalWaiters>();

function waitersOn(signal: AbortSignal): SignalWaiters {
  let record = bySignal.get(signal);
  if (!record) {
    const waiters = (record = new SignalWaiters());
    bySignal.set(signal, waiters);
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

/**
 * Whether `signal` has aborted, as `signal.aborted`, read from the record the signal's listener
 * keeps: Node's getter validates its receiver on every call, and a consumer asks once per message.
 *
 * @example
 * ```ts
 * if (isAborted(signal)) return Promise.reject(signal?.reason);
 * ```
 */
export function isAborted(signal: AbortSignal | undefined): boolean {
  return signal !== undefined && waitersOn(signal).aborted;
}

// The executor stores the resolving functions here instead of closing over a per-receive
// variable, so a receive allocates no closure of its own.
let settleNext: ((message: ChannelMessage) => void) | null = null;
let failNext: ((reason: unknown) => void) | null = null;

function captureResolvers(
  resolve: (message: ChannelMessage) => void,
  reject: (reason: unknown) => void,
): void {
  settleNext = resolve;
  failNext = reject;
}

/**
 * Creates the promise a `receive()` returns and queues the waiter that settles it on `list`. When
 * `signal` aborts, the waiter is removed from `list` and the promise rejects with the signal's
 * reason. A consumer passes the same signal to every receive of its connection, so the signal gets
 * a single listener for the connection's life instead of an add and a remove per message.
 *
 * @example
 * ```ts
 * return waitOn(queue, signal);
 * ```
 */
export function waitOn(
  list: WaiterList & { readonly waiters: Waiter[] },
  signal: AbortSignal | undefined,
): Promise<ChannelMessage> {
  const promise = new Promise<ChannelMessage>(captureResolvers);
  const waiter = new PendingReceive(
    settleNext as (message: ChannelMessage) => void,
    failNext as (reason: unknown) => void,
    list,
    signal && waitersOn(signal),
  );
  settleNext = failNext = null;
  list.waiters.push(waiter);
  return promise;
}
