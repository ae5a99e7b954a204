import { ImproperlyConfigured } from "../errors.js";
import type { LiveSessionsOptions } from "../live/live-sessions.js";
import { consoleLogger } from "./logger.js";
import type { Logger } from "./logger.js";

/**
 * The close code a WebSocket gets when its client reads so slowly that more than
 * `maxBufferedBytes` wait in the send buffer (1008, policy violation). The server stops queueing
 * for that socket, so memory stays bounded however fast the application sends.
 *
 * @example
 * ```ts
 * ws.on("close", (code) => { if (code === SLOW_READER_CLOSE_CODE) reconnectWithBackoff(); });
 * ```
 */
export const SLOW_READER_CLOSE_CODE = 1008;

/**
 * The close code a WebSocket gets when its client sends messages faster than
 * `maxMessagesPerSecond` allows beyond `messageBurst` (4429: "too many requests", in the range
 * RFC 6455 leaves to applications). The message that went over is not delivered.
 *
 * @example
 * ```ts
 * ws.on("close", (code) => { if (code === MESSAGE_RATE_CLOSE_CODE) showNotice("slow down"); });
 * ```
 */
export const MESSAGE_RATE_CLOSE_CODE = 4429;

/**
 * Options of {@link serve}; every field has a default.
 *
 * @example
 * ```ts
 * const options: ServeOptions = { port: 0, maxMessageSize: 64 * 1024, keepaliveIntervalMs: 20_000 };
 * ```
 */
export interface ServeOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port to bind; `0` picks a free one (read it from the handle). Default `8000`. */
  port?: number;
  /** Largest WebSocket message accepted, in bytes; bigger frames close with 1009. Default 1 MiB. */
  maxMessageSize?: number;
  /**
   * How long an application may take to accept or refuse a handshake before the server answers
   * 503 (a server failure, which a client retries, not a 403 it would read as "logged out").
   * Default 10 s. Deadlines are checked every quarter of it, so the answer comes within 1.25 × this.
   */
  handshakeTimeoutMs?: number;
  /** Ping interval; a peer that has not answered the previous ping is terminated. `0` disables. Default 30 s. */
  keepaliveIntervalMs?: number;
  /** Bytes a WebSocket may have waiting to be written before it is closed with {@link SLOW_READER_CLOSE_CODE}. Default 4 MiB. */
  maxBufferedBytes?: number;
  /**
   * Largest HTTP request body, in bytes. A `content-length` over it is answered 413 before the
   * application runs; a chunked body that grows past it ends the application's stream with
   * `http.disconnect` and is answered 413. Either way the rest is not read and the connection
   * closes. Default 10 MiB.
   */
  maxBodySize?: number;
  /** Received messages queued for an application that lags before the socket stops being read. Default 64. */
  maxQueuedMessages?: number;
  /** How long `close()` waits for applications to return before destroying connections. Default 10 s. */
  shutdownTimeoutMs?: number;
  /**
   * Messages a WebSocket may send per second, on average; a client that goes over is closed with
   * {@link MESSAGE_RATE_CLOSE_CODE}. `0` disables. Default 1000 (only floods hit it).
   */
  maxMessagesPerSecond?: number;
  /** Messages a WebSocket may send at once above `maxMessagesPerSecond`. Default 2000. */
  messageBurst?: number;
  /**
   * WebSocket handshakes one client address may start per second; more are answered 429 before
   * the upgrade. `0` disables. Default `0`: behind a reverse proxy every client has the proxy's
   * address, so only the application knows whether this fits.
   */
  maxHandshakesPerSecond?: number;
  /** Handshakes one address may start at once above `maxHandshakesPerSecond`. Default 20. */
  handshakeBurst?: number;
  /**
   * WebSockets open or being opened at once, server-wide; a handshake over it is answered 503
   * before the upgrade. `0` disables. Default 10,000.
   */
  maxConnections?: number;
  /**
   * How long a client may take to send a request's headers, counted from the connection (so an
   * idle socket that sends nothing is closed too); answered 408 and closed. Default 10 s,
   * checked every quarter of it.
   */
  headersTimeoutMs?: number;
  /** How long a client may take to send a whole request, body included. Default 300 s (Node's). */
  requestTimeoutMs?: number;
  /**
   * The `Host` values served, as Django's `ALLOWED_HOSTS`: `"example.com"`, `".example.com"`
   * (the domain and its subdomains), `"*"` (any); ports are ignored. Any other `Host` is answered
   * 400, for HTTP and WebSocket handshakes alike. Default `null`: every host (see docs/server.md).
   */
  allowedHosts?: readonly string[] | null;
  /** Where access lines and errors go. Default {@link consoleLogger}. */
  logger?: Logger;
  /**
   * Live sessions: the channel layer revocations travel through, expiry granularity,
   * re-validation interval and per-user socket cap (docs/live-sessions.md). Default: the layer
   * installed with `setChannelLayer()`, 1 s, 30 s, no cap.
   */
  liveSessions?: LiveSessionsOptions;
}

/** {@link ServeOptions} with every default filled in and checked. */
export type ResolvedServeOptions = Required<ServeOptions>;

const DEFAULTS: ResolvedServeOptions = {
  host: "127.0.0.1",
  port: 8000,
  maxMessageSize: 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  keepaliveIntervalMs: 30_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxBodySize: 10 * 1024 * 1024,
  maxQueuedMessages: 64,
  shutdownTimeoutMs: 10_000,
  maxMessagesPerSecond: 1000,
  messageBurst: 2000,
  maxHandshakesPerSecond: 0,
  handshakeBurst: 20,
  maxConnections: 10_000,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 300_000,
  allowedHosts: null,
  logger: consoleLogger,
  liveSessions: {},
};

const POSITIVE = [
  "maxMessageSize",
  "handshakeTimeoutMs",
  "maxBufferedBytes",
  "maxBodySize",
  "maxQueuedMessages",
  "messageBurst",
  "handshakeBurst",
  "headersTimeoutMs",
  "requestTimeoutMs",
];
const NON_NEGATIVE = [
  "port",
  "keepaliveIntervalMs",
  "shutdownTimeoutMs",
  "maxMessagesPerSecond",
  "maxHandshakesPerSecond",
  "maxConnections",
];

/** Fills in defaults and rejects numbers that cannot work, naming the option. */
export function resolveServeOptions(options: ServeOptions): ResolvedServeOptions {
  const resolved: ResolvedServeOptions = { ...DEFAULTS };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) Object.assign(resolved, { [key]: value });
  }
  for (const key of [...POSITIVE, ...NON_NEGATIVE]) {
    const value = resolved[key as keyof ResolvedServeOptions];
    const min = POSITIVE.includes(key) ? 1 : 0;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
      throw new ImproperlyConfigured(
        `serve() option ${key} must be an integer >= ${min}, got ${String(value)}.`,
      );
    }
  }
  if (resolved.port > 65535) {
    throw new ImproperlyConfigured(
      `serve() option port must be at most 65535, got ${resolved.port}.`,
    );
  }
  if (resolved.requestTimeoutMs < resolved.headersTimeoutMs) {
    throw new ImproperlyConfigured(
      `serve() option requestTimeoutMs (${resolved.requestTimeoutMs}) must be at least headersTimeoutMs (${resolved.headersTimeoutMs}).`,
    );
  }
  return resolved;
}
