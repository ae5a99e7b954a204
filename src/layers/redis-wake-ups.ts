import type { Redis } from "ioredis";
import type { BatchedReceivers } from "./batched-receivers.js";

/**
 * The wake-ups `RedisChannelLayer` receives on its subscriber connection: a sender publishes the
 * names of the channels it pushed to, on one topic per process for the names `newChannel` gave out
 * (so a process holds one topic however many channels it reads) and on the name itself for named
 * channels. Each wake-up lets the waiting receivers of those channels pop.
 *
 * @example
 * ```ts
 * const wakeUps = new RedisWakeUps(subscriber, "asgi:", receivers, onError);
 * const message = await receivers.receive(channel, wakeUps.subscribe(channel));
 * ```
 */
export class RedisWakeUps {
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #receivers: BatchedReceivers;
  readonly #onError: (error: unknown) => void;
  /** Wake-up topics subscribed to, by topic: settles once Redis confirmed the subscription. */
  readonly #topics = new Map<string, Promise<unknown>>();

  constructor(
    subscriber: Redis,
    prefix: string,
    receivers: BatchedReceivers,
    onError: (error: unknown) => void,
  ) {
    this.#subscriber = subscriber;
    this.#prefix = prefix;
    this.#receivers = receivers;
    this.#onError = onError;
    subscriber.on("message", (_topic: string, payload: string) => {
      for (const channel of payload.split("\n")) receivers.wake(channel);
    });
    // Wake-ups published while a connection was down are lost: whenever one (re)connects, every
    // waiting receiver pops once. Subscribing again first (idempotent) makes sure no later
    // wake-up is missed, even if ioredis could not restore a subscription made while connecting.
    subscriber.on("ready", () => void this.#resubscribe());
  }

  /** Subscribes to the topic of `channel`'s wake-ups; settles once Redis confirmed it. */
  subscribe(channel: string): Promise<unknown> {
    const topic = topicOf(channel);
    let subscribed = this.#topics.get(topic);
    if (!subscribed) {
      subscribed = this.#subscriber.subscribe(`${this.#prefix}wake:${topic}`);
      this.#topics.set(topic, subscribed);
    }
    return subscribed;
  }

  close(): void {
    this.#subscriber.disconnect();
  }

  async #resubscribe(): Promise<void> {
    const topics = [...this.#topics.keys()].map((topic) => `${this.#prefix}wake:${topic}`);
    try {
      if (topics.length > 0) await this.#subscriber.subscribe(...topics);
    } catch (error) {
      this.#onError(error);
      return;
    }
    this.#receivers.wakeAll();
  }
}

/** Wake-up topic of a channel: per process for process-local names, else the name itself. */
function topicOf(channel: string): string {
  const bang = channel.indexOf("!");
  return bang === -1 ? channel : channel.slice(0, bang + 1);
}
