/**
 * `switchboard/redis`: Redis-backed parts, kept off the root export so only applications that use
 * Redis load ioredis.
 *
 * @example
 * ```ts
 * import { RedisChannelLayer, RedisSessionStore } from "switchboard/redis";
 * ```
 * @module
 */
export { RedisChannelLayer } from "./layers/redis-channel-layer.js";
export type { RedisChannelLayerOptions } from "./layers/redis-channel-layer.js";
export { RedisSessionStore } from "./stores/redis-session-store.js";
export type { RedisSessionStoreOptions } from "./stores/redis-session-store.js";
export { RedisTicketStore } from "./stores/redis-ticket-store.js";
export type { RedisTicketStoreOptions } from "./stores/redis-ticket-store.js";
