import { randomUUID } from "node:crypto";
import { BackendUnavailable } from "../errors.js";
import type { ChannelMessage } from "../types/asgi.js";
import { AbortableWaiter, handOver, type Waiter, type WaiterList } from "./abortable-waiter.js";
import type { ChannelLayer, InPlaceReceiver } from "./channel-layer.js";
import {
  resolveChannelLayerOptions,
  type ChannelLayerOptions,
  type ResolvedChannelLayerOptions,
} from "./channel-layer-options.js";
import {
  assertChannelName,
  assertGroupName,
  channelFull,
  decodeMessage,
  encodeMessage,
} from "./validation.js";

/** A queued message (decoded and frozen, shared by a group send's receivers) and its expiry. */
interface Entry {
  message: ChannelMessage;
  expiresAt: number;
}

/** One channel's unread messages, or the receives waiting for one (never both). */
class Queue implements WaiterList {
  /** Resolved once per channel, so sends never match capacity patterns again. */
  readonly capacity: number;
  readonly items: Entry[] = [];
  waiters: Waiter[] = [];

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  remove(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index !== -1) this.waiters.splice(index, 1);
  }
}

/**
 * A channel layer inside one process, for development, tests and single-process deployments.
 * Semantics match `RedisChannelLayer` (the shared contract suite checks it): per-channel capacity,
 * message expiry (a channel that leaves a message unread until it expires leaves its groups),
 * group-membership expiry, deeply frozen JSON messages on receive.
 *
 * @example
 * ```ts
 * import { InMemoryChannelLayer, setChannelLayer } from "switchboard";
 *
 * setChannelLayer(new InMemoryChannelLayer({ capacity: 100, expiry: 60 }));
 * ```
 */
export class InMemoryChannelLayer implements ChannelLayer {
  readonly #options: ResolvedChannelLayerOptions;
  readonly #channels = new Map<string, Queue>();
  /** group → channel → membership expiry (ms since the epoch). */
  readonly #groups = new Map<string, Map<string, number>>();
  readonly #waiters = new AbortableWaiter();
  readonly #id = randomUUID().slice(0, 8);
  #counter = 0;
  #nextSweep: number;
  #closed = false;

  constructor(options: ChannelLayerOptions = {}) {
    this.#options = resolveChannelLayerOptions(options);
    this.#nextSweep = Date.now() + this.#sweepInterval();
  }

  async send<M extends ChannelMessage>(channel: string, message: M): Promise<void> {
    const frozen = decodeMessage(encodeMessage(message, this.#options.maxMessageSize));
    const now = this.#maintain();
    const queue = this.#queue(channel);
    this.#dropExpired(channel, queue, now);
    if (!this.#push(queue, frozen, now)) throw channelFull(channel, queue.capacity);
  }

  receive(
    channel: string,
    signal?: AbortSignal,
    inPlace?: InPlaceReceiver,
  ): Promise<ChannelMessage> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#waiters.isAborted(signal)) return Promise.reject(signal?.reason);
    const now = this.#maintain();
    const queue = this.#queue(channel);
    this.#dropExpired(channel, queue, now);
    const entry = queue.items.shift();
    if (entry) return Promise.resolve(entry.message);
    return this.#waiters.waitOn(queue, signal, inPlace);
  }

  async newChannel(prefix = "specific."): Promise<string> {
    const name = `${prefix}${this.#id}!${(++this.#counter).toString(36)}`;
    assertChannelName(name);
    return name;
  }

  async groupAdd(group: string, channel: string): Promise<void> {
    assertGroupName(group);
    assertChannelName(channel);
    const now = this.#maintain();
    let members = this.#groups.get(group);
    if (!members) this.#groups.set(group, (members = new Map()));
    members.set(channel, now + this.#options.groupExpiryMs);
  }

  async groupDiscard(group: string, channel: string): Promise<void> {
    assertGroupName(group);
    assertChannelName(channel);
    const members = this.#groups.get(group);
    if (!members) return;
    members.delete(channel);
    if (members.size === 0) this.#groups.delete(group);
  }

  async groupSend<M extends ChannelMessage>(group: string, message: M): Promise<void> {
    assertGroupName(group);
    const frozen = decodeMessage(encodeMessage(message, this.#options.maxMessageSize));
    const now = this.#maintain();
    const members = this.#groups.get(group);
    if (!members) return;
    let sent = 0;
    let skipped = 0;
    for (const [channel, expiresAt] of members) {
      if (expiresAt <= now) {
        members.delete(channel);
        continue;
      }
      const queue = this.#queue(channel);
      if (this.#dropExpired(channel, queue, now)) continue;
      sent++;
      // A full channel is skipped: one slow consumer must not stop the group, as in Channels.
      if (!this.#push(queue, frozen, now)) skipped++;
    }
    this.#options.reportOverCapacity(group, skipped, sent);
  }

  async discardChannel(channel: string): Promise<void> {
    assertChannelName(channel);
    this.#maintain();
    this.#leaveGroups(channel);
    const queue = this.#channels.get(channel);
    // a receive still waiting keeps its (now empty) queue, as flush() leaves it
    if (queue?.waiters.length) queue.items.length = 0;
    else this.#channels.delete(channel);
  }

  /** How many channels the layer holds a record for (queued messages or waiting receives). */
  get channelCount(): number {
    return this.#channels.size;
  }

  async flush(): Promise<void> {
    for (const [channel, queue] of this.#channels) {
      if (queue.waiters.length === 0) this.#channels.delete(channel);
      else queue.items.length = 0;
    }
    this.#groups.clear();
  }

  async close(): Promise<void> {
    this.#closed = true;
    const error = this.#closedError();
    for (const queue of this.#channels.values()) {
      for (const waiter of queue.waiters.splice(0)) waiter.reject(error);
    }
    this.#channels.clear();
    this.#groups.clear();
  }

  /**
   * Hands `message` to a waiting receiver, in place if it takes it so, or queues it (the caller
   * dropped expired ones); `false` when full.
   */
  #push(queue: Queue, message: ChannelMessage, now: number): boolean {
    if (handOver(queue, message)) return true;
    if (queue.items.length >= queue.capacity) return false;
    queue.items.push({ message, expiresAt: now + this.#options.expiryMs });
    return true;
  }

  /** The channel's queue; a channel is validated once, when its queue is created. */
  #queue(channel: string): Queue {
    let queue = this.#channels.get(channel);
    if (!queue) {
      assertChannelName(channel);
      queue = new Queue(this.#options.capacityFor(channel));
      this.#channels.set(channel, queue);
    }
    return queue;
  }

  #sweepInterval(): number {
    return Math.min(this.#options.expiryMs, this.#options.groupExpiryMs);
  }

  /**
   * Returns the time and, at most once per expiry period, forgets expired messages, idle channels
   * and lapsed memberships, so channels nobody reads do not hold memory forever. Throws once the
   * layer is closed.
   */
  #maintain(): number {
    if (this.#closed) throw this.#closedError();
    const now = Date.now();
    if (now < this.#nextSweep) return now;
    this.#nextSweep = now + this.#sweepInterval();
    for (const [channel, queue] of this.#channels) {
      this.#dropExpired(channel, queue, now);
      if (queue.items.length === 0 && queue.waiters.length === 0) this.#channels.delete(channel);
    }
    for (const [group, members] of this.#groups) {
      for (const [channel, expiresAt] of members) if (expiresAt <= now) members.delete(channel);
      if (members.size === 0) this.#groups.delete(group);
    }
    return now;
  }

  /**
   * Drops the channel's expired messages (they share one expiry period, so the oldest are at the
   * head). A channel that left one unread that long is taken for gone and leaves every group, as
   * Channels' `_clean_expired` does. Returns whether it left.
   */
  #dropExpired(channel: string, queue: Queue, now: number): boolean {
    let count = 0;
    while (count < queue.items.length && queue.items[count]!.expiresAt <= now) count++;
    if (count === 0) return false;
    queue.items.splice(0, count);
    this.#leaveGroups(channel);
    return true;
  }

  #leaveGroups(channel: string): void {
    for (const [group, members] of this.#groups) {
      members.delete(channel);
      if (members.size === 0) this.#groups.delete(group);
    }
  }

  #closedError(): BackendUnavailable {
    return new BackendUnavailable(
      "This InMemoryChannelLayer was closed: create a new layer and install it with setChannelLayer.",
    );
  }
}
