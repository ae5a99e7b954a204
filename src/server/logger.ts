import { escapeLogText } from "../security/escape-log-text.js";

/**
 * One finished HTTP request, as the access log sees it.
 *
 * @example
 * ```ts
 * const entry: HttpAccessEntry = { type: "http", method: "GET", path: "/", status: 200, durationMs: 1.2 };
 * ```
 */
export interface HttpAccessEntry {
  type: "http";
  method: string;
  path: string;
  /** The status sent, or `null` when the client left before a response started. */
  status: number | null;
  durationMs: number;
}

/**
 * How a WebSocket connection went: `accepted` (then `closeCode` says how it ended), `refused` (the
 * app closed before accepting: 403), `error` (the app threw or returned before accepting: 500),
 * `timeout` (no decision within `handshakeTimeoutMs`: 503), `gone` (the client left during the
 * handshake), `shutdown` (the server stopped during the handshake: 503).
 *
 * @example
 * ```ts
 * const refusedOrWorse = (outcome: WebsocketOutcome) => outcome !== "accepted";
 * ```
 */
export type WebsocketOutcome = "accepted" | "refused" | "error" | "timeout" | "gone" | "shutdown";

/**
 * One finished WebSocket connection, logged when it ends (refused handshakes included).
 *
 * @example
 * ```ts
 * const entry: WebsocketAccessEntry = {
 *   type: "websocket", path: "/ws/echo/", outcome: "accepted", status: 101, closeCode: 1000, durationMs: 5100,
 * };
 * ```
 */
export interface WebsocketAccessEntry {
  type: "websocket";
  path: string;
  outcome: WebsocketOutcome;
  /** The HTTP status of the handshake response: 101, 403, 500 or 503; `null` if none was sent. */
  status: number | null;
  /** The close code the connection ended with, once accepted. */
  closeCode: number | null;
  durationMs: number;
}

/**
 * An access-log line: one per HTTP request, one per WebSocket connection.
 *
 * @example
 * ```ts
 * const failed = (entry: AccessEntry) => (entry.status ?? 0) >= 500;
 * ```
 */
export type AccessEntry = HttpAccessEntry | WebsocketAccessEntry;

/**
 * Where the server reports. `access` is called once per request and per WebSocket connection,
 * `error` for application failures (with the error, so its stack is kept), `info` for lifecycle.
 *
 * @example
 * ```ts
 * const jsonLogger: Logger = {
 *   access: (entry) => process.stdout.write(JSON.stringify(entry) + "\n"),
 *   info: (message) => console.log(message),
 *   error: (message, error) => console.error(message, error),
 * };
 * await serve(application, { logger: jsonLogger });
 * ```
 */
export interface Logger {
  access(entry: AccessEntry): void;
  info(message: string): void;
  error(message: string, error?: unknown): void;
}

/**
 * The default logger: access lines on stdout (`GET /path 200 1.2ms`,
 * `WS /ws/echo/ accepted 1000 5.1s`), errors with their stack on stderr.
 *
 * @example
 * ```ts
 * consoleLogger.access({ type: "http", method: "GET", path: "/", status: 200, durationMs: 1.2 });
 * // GET / 200 1.2ms
 * ```
 */
export const consoleLogger: Logger = {
  access(entry) {
    console.log(formatAccess(entry));
  },
  info(message) {
    console.log(message);
  },
  error(message, error) {
    if (error === undefined) console.error(message);
    else console.error(message, error);
  },
};

/**
 * A logger that drops everything; for benchmarks and tests that assert on nothing logged.
 *
 * @example
 * ```ts
 * await serve(application, { port: 0, logger: silentLogger });
 * ```
 */
export const silentLogger: Logger = {
  access() {},
  info() {},
  error() {},
};

/**
 * Renders an access entry as the one line {@link consoleLogger} prints; the path (decoded, so
 * client-controlled) has its control characters escaped, so a request cannot forge a line. A
 * logger of its own that prints `entry.path` should escape it too, or write JSON.
 *
 * @example
 * ```ts
 * formatAccess({ type: "websocket", path: "/ws/", outcome: "refused", status: 403, closeCode: null, durationMs: 2 });
 * // "WS /ws/ refused 403 2.0ms"
 * ```
 */
export function formatAccess(entry: AccessEntry): string {
  const duration =
    entry.durationMs >= 1000
      ? `${(entry.durationMs / 1000).toFixed(1)}s`
      : `${entry.durationMs.toFixed(1)}ms`;
  if (entry.type === "http") {
    return `${escapeLogText(entry.method)} ${escapeLogText(entry.path)} ${entry.status ?? "-"} ${duration}`;
  }
  const code = entry.outcome === "accepted" ? entry.closeCode : entry.status;
  return `WS ${escapeLogText(entry.path)} ${entry.outcome} ${code ?? "-"} ${duration}`;
}
