import { once } from "node:events";
import { createServer } from "node:http";
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { LiveSessions } from "../live/live-sessions.js";
import type { Application } from "../types/asgi.js";
import { Activity } from "./activity.js";
import { Admission } from "./admission.js";
import { clientErrorListener } from "./client-errors.js";
import { writeRawResponse } from "./failure.js";
import { serveHttp } from "./http-exchange.js";
import type { HttpExchangeContext } from "./http-exchange.js";
import { ScopeBuilder, serverAddress } from "./scope-builder.js";
import { resolveServeOptions } from "./serve-options.js";
import type { ServeOptions } from "./serve-options.js";
import { invalidUpgrade } from "./handshake-checks.js";
import { escapeLogText } from "../security/escape-log-text.js";
import { Upgrader } from "./upgrader.js";
import { PendingHandshakes } from "./websocket-handshake.js";
import { WebsocketSession } from "./websocket-session.js";
import { SharedFrame } from "./shared-frame.js";
import type { WebsocketContext } from "./websocket-session.js";

/**
 * A running server, as {@link serve} returns it.
 *
 * @example
 * ```ts
 * const server: ServerHandle = await serve(application, { port: 0 });
 * await fetch(`${server.url}/`);
 * await server.close({ timeoutMs: 5000 });
 * ```
 */
export interface ServerHandle {
  /** The bound host, as `serve` was asked for it. */
  readonly host: string;
  /** The bound port: the real one when `port: 0` was asked for. */
  readonly port: number;
  /** `http://host:port`, ready to print or to fetch. */
  readonly url: string;
  /** The underlying Node server, for what the options do not cover (TLS termination lives in front). */
  readonly server: Server;
  /** This server's open authenticated sockets, e.g. to `revoke({ user, reason })` them. */
  readonly liveSessions: LiveSessions;
  /**
   * Graceful shutdown: stops accepting, closes WebSockets with 1001, lets in-flight HTTP finish,
   * waits up to `timeoutMs` (default `shutdownTimeoutMs`) for applications to return, then
   * destroys what is left. Calling it again returns the same promise.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Serves `app` over HTTP and WebSocket on one port. Resolves once the port is bound.
 *
 * @example
 * ```ts
 * const server = await serve(application, { host: "127.0.0.1", port: 0 });
 * console.log(`listening on ${server.url}`);
 * process.once("SIGTERM", () => void server.close());
 * ```
 */
export async function serve(app: Application, options: ServeOptions = {}): Promise<ServerHandle> {
  const resolved = resolveServeOptions(options);
  const { logger } = resolved;
  const upgrader = new Upgrader(resolved.maxMessageSize);
  const activity = new Activity();
  const live = new LiveSessions({
    logger: { info: (line) => logger.info(line) },
    ...resolved.liveSessions,
  });
  // the real port is known once bound, below; until then each socket is asked
  const scopes = new ScopeBuilder(serverAddress("", 0), live);
  const context: WebsocketContext = {
    options: resolved,
    logger,
    upgrader,
    sessions: new Set(),
    handshakes: new PendingHandshakes(),
    activity,
    scopes,
    live,
    sharedFrame: new SharedFrame(),
  };

  let closing = false;
  const httpContext: HttpExchangeContext = {
    logger,
    activity,
    scopes,
    maxBodySize: resolved.maxBodySize,
    isClosing: () => closing,
  };
  const admission = new Admission(resolved, logger);
  const server = createServer(
    {
      headersTimeout: resolved.headersTimeoutMs,
      requestTimeout: resolved.requestTimeoutMs,
      // Node checks both every this often (30 s unless told)
      connectionsCheckingInterval: Math.max(1, Math.floor(resolved.headersTimeoutMs / 4)),
    },
    (req, res) => {
      if (admission.admitRequest(req, res)) void serveHttp(app, req, res, httpContext);
    },
  );
  server.on("clientError", clientErrorListener(logger, resolved.headersTimeoutMs));
  // the status a handshake is refused with before the application runs, or null
  const refusal = (req: IncomingMessage): number | null => {
    const problem = closing ? { status: 503, message: "shutting down" } : invalidUpgrade(req);
    if (problem === null) return admission.refuseUpgrade(req, context.sessions.size);
    logger.info(
      `Upgrade of ${escapeLogText(req.url ?? "/")} refused with ${problem.status}: ${problem.message}`,
    );
    return problem.status;
  };
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const status = refusal(req);
    if (status !== null) {
      socket.on("error", () => {});
      writeRawResponse(socket, status);
      return;
    }
    new WebsocketSession(context, req, socket, head).run(app);
  });

  server.listen(resolved.port, resolved.host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  scopes.serverAddress = serverAddress(resolved.host, port);
  live.start();

  const keepalive =
    resolved.keepaliveIntervalMs > 0
      ? setInterval(() => {
          for (const session of context.sessions) session.ping();
        }, resolved.keepaliveIntervalMs).unref()
      : null;

  // one sweep instead of a timer per handshake: a handshake is refused between
  // handshakeTimeoutMs and 1.25 × handshakeTimeoutMs after it arrived
  const handshakeSweep = setInterval(
    () => context.handshakes.sweep(performance.now()),
    Math.max(1, resolved.handshakeTimeoutMs / 4),
  ).unref();

  // forgets idle addresses: the table stays small without a timer per entry
  const addressSweep =
    resolved.maxHandshakesPerSecond > 0
      ? setInterval(() => admission.sweep(performance.now()), 10_000).unref()
      : null;

  let closed: Promise<void> | null = null;
  const shutdown = async (timeoutMs: number) => {
    closing = true;
    live.close();
    if (keepalive !== null) clearInterval(keepalive);
    clearInterval(handshakeSweep);
    if (addressSweep !== null) clearInterval(addressSweep);
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const session of context.sessions) session.shutdown();
    // responses that just finished leave keep-alive sockets idle
    const appsDone = activity.idle(() => server.closeIdleConnections());
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const gaveUp = await Promise.race([
      Promise.all([appsDone, serverClosed]).then(() => false),
      timedOut,
    ]);
    clearTimeout(timer);
    if (gaveUp) {
      logger.info(
        `Shutdown waited ${timeoutMs}ms; destroying ${activity.active} unfinished connection(s).`,
      );
      for (const session of context.sessions) session.destroy();
      server.closeAllConnections();
      await serverClosed;
    }
    upgrader.close();
  };

  return {
    host: resolved.host,
    port,
    url: `http://${resolved.host.includes(":") ? `[${resolved.host}]` : resolved.host}:${port}`,
    server,
    liveSessions: live,
    close(closeOptions = {}) {
      closed ??= shutdown(closeOptions.timeoutMs ?? resolved.shutdownTimeoutMs);
      return closed;
    },
  };
}
