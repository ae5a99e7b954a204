import type { ChannelMessage } from "../types/asgi.js";
import { AbortableWaiter, handOver, type Waiter, type WaiterList } from "./abortable-waiter.js";
import type { InPlaceReceiver } from "./channel-layer.js";

/** Where {@link BatchedReceivers} takes messages from: a store of per-channel queues. */
export interface EntrySource {
  /**
   * Pops at most one entry from each channel: per channel, the entry (`null` for none) and how
   * many entries remain.
   */
  popMany(channels: string[]): Promise<[entries: Array<string | null>, remaining: number[]]>;
  /** Puts an entry back at the head of its channel (its receiver left while it was popped). */
  requeue(channel: string, entry: string): Promise<void>;
  decode(entry: string): ChannelMessage;
}

/** This process's receivers of one channel. */
class Receiver implements WaiterList {
  waiters: Waiter[] = [];
  /** A pop for this channel is in flight: at most one, so nothing is popped without a waiter. */
  inflight = false;
  /** A wake-up came during the pop: pop again even if it found nothing. */
  again = false;
  /** Popped empty and no wake-up since: a new `receive` waits instead of popping. */
  empty = false;
  /** A waiter was aborted: forget the channel once nothing is waiting or in flight. */
  abandoned = false;
  readonly #onAbandoned: (receiver: Receiver) => void;

  constructor(onAbandoned: (receiver: Receiver) => void) {
    this.#onAbandoned = onAbandoned;
  }

  remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index !== -1) this.waiters.splice(index, 1);
    this.abandoned = true;
    this.#onAbandoned(this);
  }
}

/** Channels popped in one call; bounds the script's arguments and the reply. */
const MAX_BATCH = 1000;

/**
 * The receiving side of a layer whose queues live elsewhere (Redis): waiting `receive()` calls
 * by channel, fed by wake-ups. Wake-ups and receives that arrive in the same turn of the event
 * loop are popped in ONE call, so a group message to thousands of this process's channels costs
 * one round trip, and a consumer re-arming its receive on a channel known to be empty costs none
 * (docs/performance.md#batched-pops).
 *
 * @example
 * ```ts
 * const receivers = new BatchedReceivers(source, (error) => log(error));
 * subscriber.on("message", (_topic, channel) => receivers.wake(channel));
 * const message = await receivers.receive("specific.ab12!3");
 * ```
 */
export class BatchedReceivers {
  readonly #source: EntrySource;
  readonly #onError: (error: unknown) => void;
  readonly #receivers = new Map<string, Receiver>();
  readonly #waiters = new AbortableWaiter();
  #pending = new Set<string>();
  #scheduled = false;

  constructor(source: EntrySource, onError: (error: unknown) => void) {
    this.#source = source;
    this.#onError = onError;
  }

  /**
   * Waits for the next message on `channel`; `ready` settles once wake-ups for it arrive. A popped
   * message is offered to `inPlace` first (see `ChannelLayer.receive`).
   */
  receive(
    channel: string,
    ready: Promise<unknown>,
    signal?: AbortSignal,
    inPlace?: InPlaceReceiver,
  ): Promise<ChannelMessage> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let receiver = this.#receivers.get(channel);
    if (!receiver) {
      receiver = new Receiver((abandoned) => this.#forgetIfIdle(channel, abandoned));
      this.#receivers.set(channel, receiver);
    }
    receiver.abandoned = false;
    const promise = this.#waiters.waitOn(receiver, signal, inPlace);
    if (!receiver.empty) void ready.then(() => this.#schedule(channel), this.#onError);
    return promise;
  }

  /** Something was queued on `channel`. */
  wake(channel: string): void {
    const receiver = this.#receivers.get(channel);
    if (!receiver) return;
    receiver.empty = false;
    if (receiver.inflight) receiver.again = true;
    else if (receiver.waiters.length > 0) this.#schedule(channel);
  }

  /** Wake-ups may have been lost (a reconnect): every channel is popped once more. */
  wakeAll(): void {
    for (const channel of this.#receivers.keys()) this.wake(channel);
  }

  rejectAll(error: unknown): void {
    for (const receiver of this.#receivers.values()) {
      for (const waiter of receiver.waiters.splice(0)) waiter.reject(error);
    }
    this.#receivers.clear();
  }

  #schedule(channel: string): void {
    this.#pending.add(channel);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate, not a microtask: lets every wake-up already read from the socket join the batch.
    setImmediate(() => {
      this.#scheduled = false;
      const channels: string[] = [];
      for (const channel of this.#pending) {
        const receiver = this.#receivers.get(channel);
        if (!receiver || receiver.waiters.length === 0) continue;
        if (receiver.inflight) receiver.again = true;
        else {
          receiver.inflight = true;
          receiver.again = false;
          channels.push(channel);
        }
      }
      this.#pending = new Set();
      for (let i = 0; i < channels.length; i += MAX_BATCH) {
        void this.#pop(channels.slice(i, i + MAX_BATCH));
      }
    });
  }

  async #pop(channels: string[]): Promise<void> {
    let entries: Array<string | null>;
    let remaining: number[];
    try {
      [entries, remaining] = await this.#source.popMany(channels);
    } catch (error) {
      // Left waiting: the layer calls wakeAll() once its connection is back.
      for (const channel of channels) this.#settle(channel);
      this.#onError(error);
      return;
    }
    for (let i = 0; i < channels.length; i++) {
      const channel = channels[i]!;
      const receiver = this.#settle(channel);
      const entry = entries[i] ?? null;
      if (entry === null) {
        if (receiver?.again && receiver.waiters.length > 0) this.#schedule(channel);
        else if (receiver) receiver.empty = !receiver.again;
        continue;
      }
      if (receiver !== undefined && receiver.waiters.length > 0) {
        handOver(receiver, this.#source.decode(entry));
      } else {
        void this.#source.requeue(channel, entry).catch(this.#onError);
      }
      if (!receiver) continue;
      // The consumer's next receive, a few microtasks away, then waits without popping.
      receiver.empty = remaining[i] === 0 && !receiver.again;
      if (!receiver.empty && receiver.waiters.length > 0) this.#schedule(channel);
    }
  }

  /** Marks the channel's pop finished; returns its receiver if it is still tracked. */
  #settle(channel: string): Receiver | undefined {
    const receiver = this.#receivers.get(channel);
    if (!receiver) return undefined;
    receiver.inflight = false;
    this.#forgetIfIdle(channel, receiver);
    return this.#receivers.get(channel);
  }

  #forgetIfIdle(channel: string, receiver: Receiver): void {
    if (receiver.abandoned && receiver.waiters.length === 0 && !receiver.inflight) {
      this.#receivers.delete(channel);
    }
  }
}
