/**
 * Sessions: the lazily-loaded `Session` and the middleware that puts it on `scope.session`.
 * @module
 */
export { Session, DEFAULT_SESSION_MAX_AGE } from "./session.js";
export type { JsonValue, SessionOptions } from "./session.js";
export { sessionKeyHash } from "./session-key-hash.js";
export { sessionMiddleware } from "./session-middleware.js";
export type { SessionMiddlewareOptions, SessionScope } from "./session-middleware.js";
