/**
 * Switchboard: Django Channels' model for Node.js. The root export holds the application types,
 * errors, server, routing, consumers, auth and layers; test helpers live in `switchboard/testing`.
 * @module
 */
export type * from "./types/asgi.js";
export * from "./errors.js";
export type { OutageLogger } from "./services/outage-log.js";
export * from "./layers/index.js";
export * from "./stores/index.js";
export * from "./cookies/index.js";
export * from "./sessions/index.js";
export * from "./users/index.js";
export * from "./auth/index.js";
export * from "./routing/index.js";
export * from "./security/index.js";
export * from "./consumers/index.js";
export * from "./server/index.js";
export * from "./live/index.js";
export * from "./static/index.js";
