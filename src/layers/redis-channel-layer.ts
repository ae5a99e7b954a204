import { randomUUID } from "node:crypto";
import { Redis, type RedisOptions } from "ioredis";
import { OutageLog } from "../services/outage-log.js";
import type { ChannelMessage } from "../types/asgi.js";
import type { ChannelLayer, InPlaceReceiver } from "./channel-layer.js";
import {
  resolveChannelLayerOptions,
  type ChannelLayerOptions,
  type ResolvedChannelLayerOptions,
} from "./channel-layer-options.js";
import { BatchedReceivers } from "./batched-receivers.js";
import { RedisAvailability } from "./redis-availability.js";
import { LocalMemberships, restoreMemberships } from "./redis-group-memberships.js";
import {
  DISCARD_CHANNEL,
  GROUP_ADD,
  GROUP_SEND,
  POP_MANY,
  REQUEUE,
  SEND,
  runScript,
} from "./redis-scripts.js";
import { RedisWakeUps } from "./redis-wake-ups.js";
import {
  assertChannelName,
  assertGroupName,
  channelFull,
  decodeMessage,
  encodeMessage,
} from "./validation.js";

/**
 * Options of {@link RedisChannelLayer}: the shared {@link ChannelLayerOptions} (every process must
 * use the same values) plus where Redis is.
 *
 * @example
 * ```ts
 * const options: RedisChannelLayerOptions = { redis: "redis://cache:6379/1", prefix: "chat:" };
 * ```
 */
export interface RedisChannelLayerOptions extends ChannelLayerOptions {
  /** A `redis://` URL or ioredis options. Default `redis://127.0.0.1:6379`. */
  redis?: string | RedisOptions;
  /** Prefix of every key and pub/sub topic, so deployments can share a Redis. Default `"asgi:"`. */
  prefix?: string;
  /**
   * Milliseconds an operation waits for a (re)connecting Redis, or for a slow Redis's reply,
   * before it fails with `BackendUnavailable`. Default 1000.
   */
  unavailableTimeout?: number;
  /** Redis `CLIENT SETNAME` prefix of the layer's two connections (`<name>:cmd`, `<name>:sub`). */
  connectionName?: string;
}

/**
 * A channel layer shared by processes through Redis (ioredis), the peer of `InMemoryChannelLayer`
 * with the same semantics.
 *
 * Design: every channel is a Redis list holding unread messages, so capacity and expiry are exact
 * whichever process sends. A send is one Lua call that trims expired messages, checks capacity,
 * pushes and publishes a wake-up. Each layer instance holds ONE subscriber connection; a process
 * only subscribes to the wake-up topic of its own process-local channels (names from
 * `newChannel`, `"specific.<id>!<n>"`) and of named channels it receives from (worker channels
 * such as `"thumbnails"`), never one per consumer. A wake-up triggers a pop only for channels with
 * a waiting `receive()`: no polling; the wake-ups of one event-loop turn are popped in one Lua
 * call (see `BatchedReceivers`). `groupSend` is one Lua call: it trims lapsed members of the
 * group's sorted set (scored by expiry time, so a dead process's channels stop receiving), pushes
 * to every member and publishes one wake-up per process listing its channels.
 *
 * While Redis is down, operations reject with `BackendUnavailable` after `unavailableTimeout`
 * instead of queueing; waiting receives keep waiting and resume after ioredis reconnects.
 * A Redis restart without persistence loses groups; each process re-adds its live members on
 * reconnect: the layer remembers the memberships `groupAdd` made for its own channels (from
 * `newChannel`) until `groupDiscard`, a receive on the channel abandoned by its signal (the
 * consumer is gone), or `groupExpiry`, and adds them again, with the expiry they had left, in
 * one Lua call per 1,000 whenever its connection is ready again.
 * Needs one Redis (not a cluster): group sends touch keys derived inside the script.
 *
 * @example
 * ```ts
 * import { setChannelLayer } from "switchboard";
 * import { RedisChannelLayer } from "switchboard/redis";
 *
 * setChannelLayer(new RedisChannelLayer({ redis: process.env.REDIS_URL, prefix: "chat:" }));
 * ```
 */
export class RedisChannelLayer implements ChannelLayer {
  readonly #options: ResolvedChannelLayerOptions;
  /** How long a list outlives its last push: an expired entry must be seen while a membership lives. */
  readonly #retainMs: number;
  readonly #prefix: string;
  readonly #client: Redis;
  readonly #availability: RedisAvailability;
  readonly #id = randomUUID().replace(/-/g, "").slice(0, 12);
  /** Part of every name `newChannel` gives out, and of no other layer's. */
  readonly #localMark = `${this.#id}!`;
  readonly #memberships = new LocalMemberships();
  readonly #receivers: BatchedReceivers;
  readonly #wakeUps: RedisWakeUps;
  #counter = 0;

  constructor(options: RedisChannelLayerOptions = {}) {
    this.#options = resolveChannelLayerOptions(options);
    this.#retainMs = Math.max(this.#options.expiryMs, this.#options.groupExpiryMs);
    this.#prefix = options.prefix ?? "asgi:";
    const redis = options.redis ?? "redis://127.0.0.1:6379";
    const name = options.connectionName ?? "switchboard";
    const connect = (overrides: RedisOptions) =>
      typeof redis === "string"
        ? new Redis(redis, overrides)
        : new Redis({ ...redis, ...overrides });
    const timeout = options.unavailableTimeout ?? 1000;
    // Commands fail fast while disconnected instead of piling up in an unbounded offline queue.
    this.#client = connect({
      connectionName: `${name}:cmd`,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      enableAutoPipelining: true,
      commandTimeout: timeout,
    });
    const outage = new OutageLog("Redis channel layer", options.logger);
    this.#availability = new RedisAvailability(this.#client, timeout, outage);
    // Subscriptions are few (one per topic) and must survive reconnects, so they may queue.
    const subscriber = connect({
      connectionName: `${name}:sub`,
      maxRetriesPerRequest: null,
      // The ready check's INFO fails once a SUBSCRIBE made while connecting has switched the
      // connection to subscriber mode, which drops the connection (and that subscription).
      enableReadyCheck: false,
    });
    const onError = this.#availability.recordError;
    for (const client of [this.#client, subscriber]) client.on("error", onError);
    this.#receivers = new BatchedReceivers(
      {
        popMany: async (channels) =>
          (await this.#run(
            POP_MANY,
            channels.map((channel) => this.#channelKey(channel)),
            [this.#prefix],
          )) as [Array<string | null>, number[]],
        requeue: async (channel, entry) => {
          const grace = this.#retainMs - this.#options.expiryMs;
          await this.#run(REQUEUE, [this.#channelKey(channel)], [entry, grace]);
        },
        decode: (entry) => decodeMessage(entry.slice(entry.indexOf(":") + 1)),
      },
      onError,
    );
    this.#wakeUps = new RedisWakeUps(subscriber, this.#prefix, this.#receivers, onError);
    // Wake-ups published while the command connection was down are lost too (see RedisWakeUps).
    this.#client.on("ready", () => {
      outage.recovered();
      void this.#restoreMemberships();
      this.#receivers.wakeAll();
    });
  }

  async send<M extends ChannelMessage>(channel: string, message: M): Promise<void> {
    assertChannelName(channel);
    const json = encodeMessage(message, this.#options.maxMessageSize);
    const capacity = this.#options.capacityFor(channel);
    const queued = await this.#run(
      SEND,
      [this.#channelKey(channel)],
      [json, this.#options.expiryMs, capacity, this.#prefix, channel, this.#retainMs],
    );
    if (queued === 0) {
      throw channelFull(channel, capacity);
    }
  }

  receive(
    channel: string,
    signal?: AbortSignal,
    inPlace?: InPlaceReceiver,
  ): Promise<ChannelMessage> {
    assertChannelName(channel);
    if (this.#availability.closed) return Promise.reject(this.#availability.closedError());
    const ready = this.#wakeUps.subscribe(channel);
    const received = this.#receivers.receive(channel, ready, signal, inPlace);
    // A wait on an own channel abandoned by its signal means its consumer is gone: restoring its
    // memberships after a restart would only feed a channel nobody reads.
    if (signal && channel.includes(this.#localMark)) {
      received.catch(() => signal.aborted && this.#memberships.forget(channel));
    }
    return received;
  }

  async newChannel(prefix = "specific."): Promise<string> {
    const name = `${prefix}${this.#id}!${(++this.#counter).toString(36)}`;
    assertChannelName(name);
    // Subscribing now means the process's topic is live before anyone can send to the channel.
    await this.#wakeUps.subscribe(name);
    return name;
  }

  async groupAdd(group: string, channel: string): Promise<void> {
    assertGroupName(group);
    assertChannelName(channel);
    await this.#run(GROUP_ADD, this.#groupKeys(group, channel), [
      channel,
      this.#options.groupExpiryMs,
      this.#options.capacityFor(channel),
      this.#options.capacity,
      group,
    ]);
    // Only this process can restore its own channels' memberships; named channels may be read by
    // any process, and whoever added them is not necessarily one of their readers.
    if (channel.includes(this.#localMark)) {
      this.#memberships.add(group, channel, Date.now() + this.#options.groupExpiryMs);
    }
  }

  async groupDiscard(group: string, channel: string): Promise<void> {
    assertGroupName(group);
    assertChannelName(channel);
    // Forgotten first: even if Redis is unreachable now, the membership must not come back.
    this.#memberships.discard(group, channel);
    const [members, capacities, groups] = this.#groupKeys(group, channel);
    await this.#availability.call(() =>
      this.#client
        .multi()
        .zrem(members, channel)
        .hdel(capacities, channel)
        .srem(groups, group)
        .exec(),
    );
  }

  async groupSend<M extends ChannelMessage>(group: string, message: M): Promise<void> {
    assertGroupName(group);
    const json = encodeMessage(message, this.#options.maxMessageSize);
    const [sent, skipped] = (await this.#run(GROUP_SEND, this.#groupKeys(group), [
      json,
      this.#options.expiryMs,
      this.#prefix,
      this.#options.capacity,
      this.#retainMs,
    ])) as [number, number];
    this.#options.reportOverCapacity(group, skipped, sent);
  }

  async discardChannel(channel: string): Promise<void> {
    assertChannelName(channel);
    // Forgotten first: even if Redis is unreachable now, its memberships must not come back.
    this.#memberships.forget(channel);
    await this.#run(DISCARD_CHANNEL, [this.#channelKey(channel)], [this.#prefix, channel]);
  }

  async flush(): Promise<void> {
    // The prefix is matched literally: glob characters in it must not widen the match.
    const pattern = `${this.#prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
    await this.#availability.call(async () => {
      let cursor = "0";
      do {
        const [next, keys] = await this.#client.scan(cursor, "MATCH", pattern, "COUNT", 1000);
        if (keys.length > 0) await this.#client.unlink(...keys);
        cursor = next;
      } while (cursor !== "0");
    });
  }

  async close(): Promise<void> {
    if (this.#availability.closed) return;
    this.#availability.close();
    this.#receivers.rejectAll(this.#availability.closedError());
    this.#memberships.clear();
    this.#client.disconnect();
    this.#wakeUps.close();
  }

  #channelKey(channel: string): string {
    return `${this.#prefix}ch:${channel}`;
  }

  /** The group's keys; with `channel`, also the set of the groups that channel is in. */
  #groupKeys(group: string, channel?: string): string[] {
    const keys = [`${this.#prefix}group:${group}`, `${this.#prefix}groupcap:${group}`];
    if (channel !== undefined) keys.push(`${this.#prefix}groupsof:${channel}`);
    return keys;
  }

  /** Adds back the memberships a restarted Redis lost; a reconnect without a restart keeps them. */
  async #restoreMemberships(): Promise<void> {
    const live = this.#memberships.live(Date.now());
    const groupKeys = (group: string, channel: string) => this.#groupKeys(group, channel);
    try {
      await restoreMemberships(live, this.#options, groupKeys, this.#run.bind(this));
    } catch (error) {
      // The connection went again: its next 'ready' restores everything once more.
      this.#availability.recordError(error);
    }
  }

  #run(script: Parameters<typeof runScript>[1], keys: string[], args: Array<string | number>) {
    return this.#availability.call(() => runScript(this.#client, script, keys, args));
  }
}
