/**
 * `switchboard/redis`: Redis-backed parts, kept off the root export so only applications that use
 * Redis load ioredis.
 *
 * @example
 * ```ts
 * import { RedisChannelLayer } from "switchboard/redis";
 * ```
 * @module
 */
export { RedisChannelLayer } from "./layers/redis-channel-layer.js";
export type { RedisChannelLayerOptions } from "./layers/redis-channel-layer.js";
