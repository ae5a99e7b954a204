import { NoHandlerForMessage } from "../errors.js";
import type { ChannelMessage } from "../types/asgi.js";

// Types come from code (client events and layer messages), so a class sees few of them; the cap
// only guards against a peer inventing types without end.
const CACHE_LIMIT = 1024;
const caches = new WeakMap<object, Map<string, string>>();

/**
 * API method names (accept, send, close, ...) of each consumer base-class prototype: a message
 * must not call them by naming them in its `type`.
 */
const reservedByPrototype = new WeakMap<object, ReadonlySet<string>>();
/** Handlers the base classes define for client events, which messages may reach. */
const FRAMEWORK_HANDLER = /^(?:websocket|http)[A-Z]/;

/**
 * Registers a consumer base class: its methods, and `abstract` ones named in `extra` (they are
 * not on the prototype), are API that no message type may reach.
 */
export function reserveConsumerMethods(prototype: object, extra: readonly string[] = []): void {
  reservedByPrototype.set(prototype, new Set([...Object.getOwnPropertyNames(prototype), ...extra]));
}

function isReserved(instance: object, name: string): boolean {
  if (FRAMEWORK_HANDLER.test(name)) return false;
  for (let proto = Object.getPrototypeOf(instance); proto; proto = Object.getPrototypeOf(proto)) {
    if (reservedByPrototype.get(proto)?.has(name)) return true;
    if (proto === Object.prototype) return Object.hasOwn(proto, name);
  }
  return false;
}

/** `chat.message` → `chatMessage`, `user.logged_in` → `userLoggedIn`; `null` when malformed. */
function camelCase(type: string): string | null {
  const parts = type.split(/[._]/);
  if (parts.some((part) => part === "")) return null;
  return parts
    .map((part, index) => (index === 0 ? part : part[0].toUpperCase() + part.slice(1)))
    .join("");
}

/**
 * The method of `instance` that handles messages of `type`, computed once per class and type.
 * Throws {@link NoHandlerForMessage} when the class has none.
 */
export function handlerName(instance: object, type: unknown): string {
  const cls = instance.constructor;
  let cache = caches.get(cls);
  if (cache === undefined) caches.set(cls, (cache = new Map()));
  const cached = typeof type === "string" ? cache.get(type) : undefined;
  if (cached !== undefined) return cached;
  if (typeof type !== "string") {
    throw new NoHandlerForMessage(
      `Incoming message has no string "type" (got ${typeof type}); messages look like { type: "chat.message", ... }.`,
    );
  }
  const name = camelCase(type);
  const method = name === null ? undefined : (instance as Record<string, unknown>)[name];
  if (name === null || typeof method !== "function" || isReserved(instance, name)) {
    throw new NoHandlerForMessage(
      `No handler for message type "${type}": define a method ${name ?? "(malformed type)"}(message) on ${cls.name}.`,
    );
  }
  if (cache.size < CACHE_LIMIT) cache.set(type, name);
  return name;
}

type Dotted<T extends string> = T extends `${infer Head}_${infer Tail}`
  ? `${Head}.${Dotted<Tail>}`
  : T;
type CamelDotted<T extends string> = T extends `${infer Head}.${infer Tail}`
  ? `${Head}${Capitalize<CamelDotted<Tail>>}`
  : T;

/**
 * The handler method a message type is dispatched to, as a type: `"chat.message"` →
 * `"chatMessage"`, `"user.logged_in"` → `"userLoggedIn"`.
 *
 * @example
 * ```ts
 * const name: HandlerName<"user.logged_in"> = "userLoggedIn";
 * ```
 */
export type HandlerName<T extends string> = CamelDotted<Dotted<T>>;

/**
 * The handler methods a consumer needs for the messages `M` (a union of `{ type: "..." }`
 * object types), each taking its own message. A consumer declares the messages it handles with
 * `implements MessageHandlers<M>`: a missing handler, or one expecting another message, is a
 * compile error; `groupSend<M>` checks what is sent to it.
 *
 * @example
 * ```ts
 * type ChatText = { type: "chat.message"; user: string; text: string };
 * type RoomMessage = ChatText | { type: "presence.leave"; channel: string };
 *
 * class RoomConsumer extends WebsocketConsumer implements MessageHandlers<RoomMessage> {
 *   async chatMessage({ user, text }: ChatText) {
 *     await this.send({ text: `${user}: ${text}` });
 *   }
 *   presenceLeave() {}
 * }
 * await layer.groupSend<RoomMessage>("room", { type: "chat.message", user: "ada", text: "hi" });
 * ```
 */
export type MessageHandlers<M extends ChannelMessage> = {
  [K in M as HandlerName<K["type"]>]: (message: K) => void | Promise<void>;
};
