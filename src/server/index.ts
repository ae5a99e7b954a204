/**
 * The server: `serve(application, options)` runs an application over Node's HTTP server and `ws`,
 * with message-size limits, handshake timeouts, keepalive pings, bounded buffers and graceful
 * shutdown.
 * @module
 */
export { serve } from "./serve.js";
export type { ServerHandle } from "./serve.js";
export { MESSAGE_RATE_CLOSE_CODE, SLOW_READER_CLOSE_CODE } from "./serve-options.js";
export type { ServeOptions } from "./serve-options.js";
export { consoleLogger, silentLogger, formatAccess } from "./logger.js";
export type {
  Logger,
  AccessEntry,
  HttpAccessEntry,
  WebsocketAccessEntry,
  WebsocketOutcome,
} from "./logger.js";
