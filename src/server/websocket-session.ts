import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { ProtocolError } from "../errors.js";
import type { LiveSessions } from "../live/live-sessions.js";
import type { LiveConnection, LiveSocket, RevocableSocket } from "../live/live-socket.js";
import type {
  Application,
  Receive,
  Send,
  SendEvent,
  WebsocketAcceptEvent,
  WebsocketDisconnectEvent,
  WebsocketReceiveEvents,
  WebsocketScope,
  WebsocketSendEvent,
} from "../types/asgi.js";
import type { Activity } from "./activity.js";
import { EventQueue } from "./event-queue.js";
import { closeCodeFor, isServerFault, statusFor } from "./failure.js";
import { checkAccept } from "./handshake-checks.js";
import { escapeLogText } from "../security/escape-log-text.js";
import type { Logger, WebsocketOutcome } from "./logger.js";
import { MessageRate } from "./message-rate.js";
import { OpenWebsocket } from "./open-websocket.js";
import type { ScopeBuilder } from "./scope-builder.js";
import type { SharedFrame } from "./shared-frame.js";
import type { ResolvedServeOptions } from "./serve-options.js";
import type { Upgrader } from "./upgrader.js";
import { CONNECT, DROPPED, GOING_AWAY } from "./websocket-events.js";
import { WebsocketHandshake } from "./websocket-handshake.js";
import type { PendingHandshakes } from "./websocket-handshake.js";

const RESOLVED = Promise.resolve();

/** What every WebSocket session shares with the server that created it. */
export interface WebsocketContext {
  options: ResolvedServeOptions;
  logger: Logger;
  upgrader: Upgrader;
  /** Live sessions, for keepalive pings and shutdown. */
  sessions: Set<WebsocketSession>;
  handshakes: PendingHandshakes;
  activity: Activity;
  scopes: ScopeBuilder;
  /** Authenticated sockets by session and user, to close them when their session ends. */
  live: LiveSessions;
  /** The last broadcast's frame, written to every socket it goes to. */
  sharedFrame: SharedFrame;
}

/**
 * One WebSocket connection, from the upgrade request to the close: runs the application, feeds
 * `receive()` through a bounded queue, and turns `send()` events into the handshake's answer
 * (see {@link WebsocketHandshake}), then frames and close codes (see {@link OpenWebsocket}).
 * Exactly one phase is set while the connection lasts; neither once it ended.
 */
export class WebsocketSession implements LiveSocket, RevocableSocket {
  readonly #context: WebsocketContext;
  readonly #scope: WebsocketScope;
  readonly #queue: EventQueue<WebsocketReceiveEvents>;
  readonly #started = performance.now();
  // dropped once answered, so an idle connection holds no request object
  #handshake: WebsocketHandshake | null;
  #open: OpenWebsocket | null = null;
  /** The client's message allowance; `null` when `maxMessagesPerSecond` is 0. */
  #rate: MessageRate | null = null;
  /** This socket's entry in the live-session registry, while it has one. */
  #live: object | null = null;
  /** Why the registry closed the socket: what the application's websocket.disconnect reports. */
  #revocation: { code: number; reason: string } | null = null;

  constructor(context: WebsocketContext, req: IncomingMessage, socket: Duplex, head: Buffer) {
    this.#context = context;
    this.#scope = context.scopes.websocket(req, this);
    this.#queue = new EventQueue(context.options.maxQueuedMessages, this, CONNECT);
    const deadline = this.#started + context.options.handshakeTimeoutMs;
    this.#handshake = new WebsocketHandshake(context.handshakes, this, req, socket, head, deadline);
    context.sessions.add(this);
  }

  /** Runs the application to its end; not async: docs/performance.md#no-suspended-frame-per-connection */
  run(app: Application): void {
    this.#context.activity.start();
    let result: Promise<void>;
    try {
      // bound once per connection, not closures: docs/performance.md#bound-methods-not-closures
      const receive: Receive = this.#queue.next.bind(this.#queue);
      const send: Send = this.#dispatch.bind(this);
      result = app(this.#scope, receive, send);
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(this.#returned.bind(this), this.#failed.bind(this));
  }

  #returned(): void {
    this.#finish(false, null);
  }

  #failed(error: unknown): void {
    this.#finish(true, error);
  }

  #finish(failed: boolean, failure: unknown): void {
    try {
      this.#settle(failed, failure);
    } finally {
      this.#context.activity.end();
    }
  }

  /** After the application returned: answer a handshake it left open, close an open socket. */
  #settle(failed: boolean, failure: unknown): void {
    const where = `WebSocket ${escapeLogText(this.#scope.path)}`;
    if (this.#handshake !== null) {
      const status = failed ? statusFor(failure) : 500;
      if (failed && isServerFault(failure)) this.#context.logger.error(`${where} failed`, failure);
      if (!failed) {
        this.#context.logger.error(
          `${where}: the application returned without accepting or closing; send websocket.accept or websocket.close.`,
        );
      }
      this.#refuse(status === 403 ? "refused" : "error", status, DROPPED);
      return;
    }
    if (failed && isServerFault(failure)) {
      this.#context.logger.error(`${where} failed`, failure);
    }
    this.#open?.close(failed ? closeCodeFor(failure) : 1000);
  }

  /** Sends a keepalive ping, terminating the peer if it did not answer the previous one. */
  ping(): void {
    this.#open?.ping();
  }

  /** Shutdown: an open socket is closed with 1001, a pending handshake answered 503. */
  shutdown(): void {
    if (this.#handshake !== null) this.#refuse("shutdown", 503, GOING_AWAY);
    else this.#open?.close(1001, "server shutting down");
  }

  /** Shutdown timed out: drop the connection without ceremony. */
  destroy(): void {
    if (this.#open !== null) this.#open.terminate();
    else this.#handshake?.socket.destroy();
  }

  /** Flow control for the receive queue: stop reading frames while the application lags. */
  pause(): void {
    this.#open?.pause();
  }

  resume(): void {
    this.#open?.resume();
  }

  /** The handshake's client left before the application answered. */
  clientLeft(): void {
    this.#end("gone", null, DROPPED);
  }

  /** The handshake's deadline passed unanswered. */
  overdue(): void {
    // the server failed to decide, which is not the client being refused: retry, not "logged out"
    this.#refuse("timeout", 503, DROPPED);
  }

  /** A frame arrived on the open socket: delivered, unless it is over the message rate. */
  received(event: WebsocketReceiveEvents): void {
    const { options, logger } = this.#context;
    if (this.#rate === null || this.#rate.admits(options, logger, this.#scope, this.#open)) {
      this.#queue.push(event);
    }
  }

  /** The open socket closed. */
  closed(code: number, reason: string): void {
    // the socket outlives its close: docs/performance.md#links-cut-on-close
    this.#open = null;
    this.#context.sessions.delete(this);
    this.#release();
    // a peer that does not echo the close frame reports another code than the one sent
    const sent = this.#revocation ?? { code, reason };
    this.#queue.finish({ type: "websocket.disconnect", code: sent.code, reason: sent.reason });
    this.#log("accepted", 101, sent.code);
  }

  /** `authMiddleware` found the user: the registry closes the socket when the session ends. */
  register(connection: LiveConnection): void {
    if (this.#open === null && this.#handshake === null) return; // already over
    this.#release();
    this.#live = this.#context.live.add(connection, this);
  }

  optOut(): void {
    this.#release();
  }

  /** The session ended: close now, or as soon as the application accepts. */
  revoke(code: number, reason: string): void {
    if (this.#open !== null) {
      if (this.#open.isOpen) this.#revocation = { code, reason };
      this.#open.close(code, reason);
    } else if (this.#handshake !== null) {
      this.#revocation = { code, reason };
    }
  }

  #release(): void {
    if (this.#live === null) return;
    this.#context.live.remove(this.#live);
    this.#live = null;
  }

  #dispatch(event: SendEvent): Promise<void> {
    try {
      switch (event.type) {
        case "websocket.send":
          this.#sendFrame(event);
          return RESOLVED;
        case "websocket.accept":
          this.#accept(event);
          return RESOLVED;
        case "websocket.close":
          this.#close(event.code ?? 1000, event.reason ?? "");
          return RESOLVED;
        default:
          throw new ProtocolError(
            `A WebSocket application sent "${(event as { type: string }).type}"; it may send websocket.accept, websocket.send and websocket.close.`,
          );
      }
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #sendFrame({ text, bytes, shared }: WebsocketSendEvent): void {
    const open = this.#open;
    if (open !== null) {
      const { maxBufferedBytes } = this.#context.options;
      // one frame for every member: docs/performance.md#frame-once-send-many
      if (shared === true && typeof text === "string") {
        open.sendFrame(this.#context.sharedFrame.of(text), text, maxBufferedBytes);
      } else {
        open.send(text, bytes, maxBufferedBytes);
      }
    } else if (this.#handshake !== null) {
      throw new ProtocolError("websocket.send was sent before websocket.accept; accept first.");
    }
    // else the peer is gone; its websocket.disconnect is on the way
  }

  #accept(event: WebsocketAcceptEvent): void {
    if (this.#open !== null) {
      throw new ProtocolError("websocket.accept was sent twice; send it once.");
    }
    const handshake = this.#handshake;
    if (handshake === null) return; // refused by timeout or shutdown, or the client left
    checkAccept(event, this.#scope.subprotocols);
    this.#handshake = null;
    const ws = handshake.upgrade(this.#context.upgrader, event);
    if (ws === null) {
      // ws destroyed the socket: the client half-closed while the application was deciding
      this.#end("gone", null, DROPPED);
      return;
    }
    this.#open = new OpenWebsocket(ws, handshake.socket, this);
    const { maxMessagesPerSecond, messageBurst } = this.#context.options;
    if (maxMessagesPerSecond > 0) this.#rate = new MessageRate(messageBurst, performance.now());
    if (this.#revocation !== null) this.#open.close(this.#revocation.code, this.#revocation.reason);
  }

  #close(code: number, reason: string): void {
    if (this.#handshake !== null) this.#refuse("refused", 403, DROPPED);
    else this.#open?.close(code, reason);
  }

  /** Answers the upgrade request with `status` instead of upgrading. */
  #refuse(outcome: WebsocketOutcome, status: number, event: WebsocketDisconnectEvent): void {
    this.#handshake?.refuse(status);
    this.#end(outcome, status, event);
  }

  /** The connection ended without an open socket. */
  #end(outcome: WebsocketOutcome, status: number | null, event: WebsocketDisconnectEvent): void {
    this.#handshake?.end();
    this.#handshake = null;
    this.#context.sessions.delete(this);
    this.#release();
    this.#queue.finish(event);
    this.#log(outcome, status, null);
  }

  /** The access line; a session logs once, when it ends (an accepted one when it closes). */
  #log(outcome: WebsocketOutcome, status: number | null, closeCode: number | null): void {
    this.#context.logger.access({
      type: "websocket",
      path: this.#scope.path,
      outcome,
      status,
      closeCode,
      durationMs: performance.now() - this.#started,
    });
  }
}
