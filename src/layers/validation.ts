import {
  ChannelFull,
  InvalidChannelMessage,
  InvalidChannelName,
  MessageTooLarge,
} from "../errors.js";
import type { ChannelMessage } from "../types/asgi.js";

/** Names are at most this long, exclusive, as in Channels. */
const MAX_NAME_LENGTH = 100;
const CHANNEL_NAME = /^[a-zA-Z\d\-_.]+(![\d\w\-_.]*)?$/;
const GROUP_NAME = /^[a-zA-Z\d\-_.]+$/;
const NAME_RULE = `ASCII letters, digits, "-", "_" or "." and shorter than ${MAX_NAME_LENGTH} characters`;

/**
 * Throws `InvalidChannelName` unless `name` is a channel name Channels accepts: {@link NAME_RULE},
 * optionally followed by `!` and a process-local suffix (names from `newChannel`).
 *
 * @example
 * ```ts
 * assertChannelName("thumbnails");          // ok
 * assertChannelName("specific.a1b2!c3");    // ok
 * assertChannelName("chat room");           // throws InvalidChannelName
 * ```
 */
export function assertChannelName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name.length >= MAX_NAME_LENGTH || !CHANNEL_NAME.test(name)) {
    throw new InvalidChannelName(
      `Channel name ${JSON.stringify(name)} is invalid: use ${NAME_RULE}, optionally followed by "!" and a suffix.`,
    );
  }
}

/**
 * Throws `InvalidChannelName` unless `name` is a valid group name ({@link NAME_RULE}, no `!`).
 *
 * @example
 * ```ts
 * assertGroupName("chat.lobby"); // ok
 * assertGroupName("chat/lobby"); // throws InvalidChannelName
 * ```
 */
export function assertGroupName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name.length >= MAX_NAME_LENGTH || !GROUP_NAME.test(name)) {
    throw new InvalidChannelName(
      `Group name ${JSON.stringify(name)} is invalid: use ${NAME_RULE}.`,
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The key Channels' layers keep for themselves (the channel a group message is for). */
const RESERVED_KEY = "__asgi_channel__";

/**
 * Validates a channel message and returns its JSON encoding: what the Redis layer stores, and what
 * both layers decode with {@link decodeMessage}, so a message is plain JSON in every layer.
 *
 * @example
 * ```ts
 * encodeMessage({ type: "chat.message", text: "hi" }, 1024); // '{"type":"chat.message","text":"hi"}'
 * encodeMessage({ text: "hi" }, 1024);                        // throws InvalidChannelMessage
 * encodeMessage({ type: "x", __asgi_channel__: "a" }, 1024);  // throws InvalidChannelMessage
 * ```
 */
export function encodeMessage(message: ChannelMessage, maxMessageSize: number): string {
  if (!isPlainObject(message) || typeof message.type !== "string") {
    throw new InvalidChannelMessage(
      'A channel message must be a plain object with a string "type", e.g. { type: "chat.message", text: "hi" }.',
    );
  }
  if (Object.hasOwn(message, RESERVED_KEY)) {
    throw new InvalidChannelMessage(
      `Channel message of type "${message.type}" uses the reserved key "${RESERVED_KEY}", which channel layers keep for themselves: rename the field.`,
    );
  }
  let json: string;
  try {
    json = JSON.stringify(message);
  } catch (error) {
    throw new InvalidChannelMessage(
      `Channel message of type "${message.type}" is not JSON-serialisable: remove cycles, BigInts and class instances.`,
      { cause: error },
    );
  }
  // A UTF-16 length within a third of the limit cannot exceed it in UTF-8, so most messages skip
  // the byte count.
  if (json.length * 3 > maxMessageSize && Buffer.byteLength(json) > maxMessageSize) {
    throw new MessageTooLarge(
      `Channel message of type "${message.type}" is ${Buffer.byteLength(json)} bytes as JSON, over the layer's maxMessageSize of ${maxMessageSize}: send a reference (an id, a URL) instead of the payload, or raise maxMessageSize.`,
    );
  }
  return json;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}

/**
 * Decodes what {@link encodeMessage} produced into a deeply frozen message. Frozen, a message can
 * be handed to every receiver of a group send as is: no receiver can change what another sees,
 * and fan-out to thousands of channels decodes once, not once per channel.
 *
 * @example
 * ```ts
 * const message = decodeMessage('{"type":"chat.message","text":"hi"}');
 * Object.isFrozen(message); // true
 * ```
 */
export function decodeMessage(json: string): ChannelMessage {
  return deepFreeze(JSON.parse(json) as ChannelMessage);
}

/**
 * The `ChannelFull` every layer throws when `send` finds `channel` holding `capacity` messages.
 *
 * @example
 * ```ts
 * if (queue.length >= capacity) throw channelFull("thumbnails", capacity);
 * ```
 */
export function channelFull(channel: string, capacity: number): ChannelFull {
  return new ChannelFull(
    `Channel "${channel}" holds ${capacity} unread messages, its capacity: its consumer is not keeping up. Raise capacity or channelCapacity for it, or send less.`,
  );
}
