import type { ChannelMessage } from "../types/asgi.js";

/**
 * A receiver that may handle a message at once, synchronously inside the `send` or `groupSend`
 * that delivers it, rather than through its pending `receive()`'s promise. A consumer takes
 * `websocket.broadcast` messages this way while it is idle
 * (docs/performance.md#frame-once-send-many).
 */
export interface InPlaceReceiver {
  /** Handles `message` now if it can: `true` when it did, `false` to get it from `receive()`. */
  takeInPlace(message: ChannelMessage): boolean;
}

/**
 * A channel layer carries messages between consumers, in one process or across many.
 * Implementations are peers behind this interface: `InMemoryChannelLayer` (one process) and
 * `RedisChannelLayer` (`switchboard/redis`, many processes and machines). `send` and `groupSend`
 * take the message's type, so `groupSend<ChatMessage>(group, {...})` checks the message against
 * the union of messages the receiving consumers handle (see `MessageHandlers`).
 *
 * @example
 * ```ts
 * const channel = await layer.newChannel();
 * await layer.groupAdd("room.lobby", channel);
 * type ChatMessage = { type: "chat.message"; text: string };
 * await layer.groupSend<ChatMessage>("room.lobby", { type: "chat.message", text: "hi" });
 * const message = await layer.receive(channel); // { type: "chat.message", text: "hi" }
 * ```
 */
export interface ChannelLayer {
  /** Queues `message` on `channel`. Throws `ChannelFull` when the channel is at capacity. */
  send<M extends ChannelMessage>(channel: string, message: M): Promise<void>;
  /**
   * Waits for the next message on `channel`. Only one receiver per channel at a time.
   * `signal` abandons the wait (the promise rejects with the signal's reason). The message is
   * deeply frozen plain JSON: a group send may hand the same object to every receiver.
   *
   * `inPlace`, when given, is offered each message, in order, before the receive settles with it:
   * when it takes it, the receive goes on waiting for the next. Both layers offer; a layer need
   * not. Every message reaches the receiver once, one way or the other.
   */
  receive(
    channel: string,
    signal?: AbortSignal,
    inPlace?: InPlaceReceiver,
  ): Promise<ChannelMessage>;
  /** A new process-unique channel name, `prefix` + a random suffix. */
  newChannel(prefix?: string): Promise<string>;
  groupAdd(group: string, channel: string): Promise<void>;
  groupDiscard(group: string, channel: string): Promise<void>;
  /** Sends `message` to every channel in `group`; full channels are skipped, not fatal. */
  groupSend<M extends ChannelMessage>(group: string, message: M): Promise<void>;
  /**
   * Releases `channel` at once: its queued messages and its group memberships. A consumer calls it
   * for its own channel as it ends, after abandoning its receive, so closed connections leave
   * nothing behind until expiry. A later `send` to the name starts an empty channel.
   */
  discardChannel(channel: string): Promise<void>;
  /** Drops every channel, group and queued message this layer owns (tests, resets). */
  flush(): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
