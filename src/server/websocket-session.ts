import { validateHeaderName, validateHeaderValue } from "node:http";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { RawData, WebSocket, WebSocketServer } from "ws";
import { ProtocolError } from "../errors.js";
import type {
  Application,
  SendEvent,
  WebsocketAcceptEvent,
  WebsocketDisconnectEvent,
  WebsocketReceiveEvents,
  WebsocketScope,
} from "../types/asgi.js";
import { buildBaseScope, parseSubprotocols } from "./build-scope.js";
import { EventQueue } from "./event-queue.js";
import { closeCodeFor, isServerFault, statusFor, writeRawResponse } from "./failure.js";
import type { Logger, WebsocketOutcome } from "./logger.js";
import { SLOW_READER_CLOSE_CODE } from "./serve-options.js";
import type { ResolvedServeOptions } from "./serve-options.js";

const CONNECT: WebsocketReceiveEvents = Object.freeze({ type: "websocket.connect" });
const DROPPED: WebsocketDisconnectEvent = Object.freeze({
  type: "websocket.disconnect",
  code: 1006,
});
const GOING_AWAY: WebsocketDisconnectEvent = Object.freeze({
  type: "websocket.disconnect",
  code: 1001,
});
const RESOLVED = Promise.resolve();
const KEY = /^[+/0-9A-Za-z]{22}==$/;

const enum State {
  /** The application is deciding; the socket is still plain HTTP. */
  Connecting,
  /** Upgraded: frames flow. */
  Open,
  /** Over: closed after accept, or the handshake ended without an upgrade. */
  Ended,
}

/** What every WebSocket session shares with the server that created it. */
export interface WebsocketContext {
  options: ResolvedServeOptions;
  logger: Logger;
  /** Configured with `noServer`; its `handleProtocols` and `headers` hooks read {@link accepts}. */
  wss: WebSocketServer;
  /** The accept event each request is being upgraded with, for the `wss` hooks. */
  accepts: WeakMap<IncomingMessage, WebsocketAcceptEvent>;
  /** Live sessions, for keepalive pings and shutdown. */
  sessions: Set<WebsocketSession>;
}

/**
 * Why an upgrade request cannot become a WebSocket (checked before the application runs, so it
 * never sees a handshake `ws` would reject), or `null` when it can.
 */
export function invalidUpgrade(req: IncomingMessage): { status: number; message: string } | null {
  if (req.method !== "GET") return { status: 405, message: "WebSocket handshakes must use GET" };
  if (req.headers.upgrade?.toLowerCase() !== "websocket") {
    return { status: 400, message: "Upgrade header is not websocket" };
  }
  if (!KEY.test(req.headers["sec-websocket-key"] ?? "")) {
    return { status: 400, message: "Missing or invalid Sec-WebSocket-Key header" };
  }
  const version = req.headers["sec-websocket-version"];
  if (version !== "13" && version !== "8") {
    return { status: 400, message: "Unsupported Sec-WebSocket-Version (use 13)" };
  }
  return null;
}

/**
 * One WebSocket connection, from the upgrade request to the close: runs the application, feeds
 * `receive()` from frames through a bounded queue, and turns `send()` events into the handshake
 * response, frames and close codes.
 */
export class WebsocketSession {
  readonly #context: WebsocketContext;
  readonly #req: IncomingMessage;
  readonly #socket: Duplex;
  readonly #head: Buffer;
  readonly #scope: WebsocketScope;
  readonly #queue: EventQueue<WebsocketReceiveEvents>;
  readonly #started = performance.now();
  #state = State.Connecting;
  #ws: WebSocket | null = null;
  #timer: NodeJS.Timeout | null;
  #alive = true;
  #outcome: WebsocketOutcome = "accepted";
  #status: number | null = null;
  #errorCode: number | null = null;

  constructor(context: WebsocketContext, req: IncomingMessage, socket: Duplex, head: Buffer) {
    this.#context = context;
    this.#req = req;
    this.#socket = socket;
    this.#head = head;
    this.#scope = {
      type: "websocket",
      scheme: "ws",
      httpVersion: req.httpVersion,
      subprotocols: parseSubprotocols(req.headers["sec-websocket-protocol"]),
      ...buildBaseScope(req),
    };
    this.#queue = new EventQueue<WebsocketReceiveEvents>(
      context.options.maxQueuedMessages,
      () => this.#ws?.pause(),
      () => this.#ws?.resume(),
    );
    this.#queue.push(CONNECT);
    socket.on("error", this.#onHandshakeSocketError);
    socket.once("close", this.#onHandshakeSocketClose);
    this.#timer = setTimeout(this.#onHandshakeTimeout, context.options.handshakeTimeoutMs);
    this.#timer.unref();
    context.sessions.add(this);
  }

  /** Runs the application to its end; never rejects. */
  async run(app: Application): Promise<void> {
    let failure: unknown = null;
    let failed = false;
    try {
      await app(this.#scope, this.#receive, this.#send);
    } catch (error) {
      failure = error;
      failed = true;
    }
    const where = `WebSocket ${this.#scope.path}`;
    if (this.#state === State.Connecting) {
      const status = failed ? statusFor(failure) : 500;
      if (failed && isServerFault(status)) this.#context.logger.error(`${where} failed`, failure);
      if (!failed) {
        this.#context.logger.error(
          `${where}: the application returned without accepting or closing; send websocket.accept or websocket.close.`,
        );
      }
      this.#refuse(status === 403 ? "refused" : "error", status, DROPPED);
      return;
    }
    if (failed && isServerFault(statusFor(failure))) {
      this.#context.logger.error(`${where} failed`, failure);
    }
    const ws = this.#ws;
    if (this.#state === State.Open && ws !== null) {
      ws.close(failed ? closeCodeFor(failure) : 1000);
    }
  }

  /** Sends a keepalive ping, terminating the peer if it did not answer the previous one. */
  ping(): void {
    const ws = this.#ws;
    if (this.#state !== State.Open || ws === null) return;
    if (!this.#alive) {
      ws.terminate();
      return;
    }
    this.#alive = false;
    ws.ping();
  }

  /** Shutdown: an open socket is closed with 1001, a pending handshake answered 503. */
  shutdown(): void {
    if (this.#state === State.Connecting) this.#refuse("shutdown", 503, GOING_AWAY);
    else if (this.#state === State.Open) this.#ws?.close(1001, "server shutting down");
  }

  /** Shutdown timed out: drop the connection without ceremony. */
  destroy(): void {
    if (this.#ws !== null) this.#ws.terminate();
    else this.#socket.destroy();
  }

  readonly #receive = () => this.#queue.next();

  readonly #send = (event: SendEvent): Promise<void> => {
    try {
      switch (event.type) {
        case "websocket.send":
          this.#sendFrame(event.text, event.bytes);
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
  };

  #sendFrame(text: string | undefined, bytes: Uint8Array | undefined): void {
    const ws = this.#ws;
    if (this.#state !== State.Open || ws === null) {
      if (this.#state === State.Connecting) {
        throw new ProtocolError("websocket.send was sent before websocket.accept; accept first.");
      }
      return; // the peer is gone; its websocket.disconnect is on the way
    }
    if (text !== undefined) ws.send(text);
    else if (bytes !== undefined) ws.send(bytes);
    else throw new ProtocolError("websocket.send needs text or bytes.");
    if (ws.bufferedAmount > this.#context.options.maxBufferedBytes) {
      ws.close(SLOW_READER_CLOSE_CODE, "client reads too slowly");
    }
  }

  #accept(event: WebsocketAcceptEvent): void {
    if (this.#state === State.Open) {
      throw new ProtocolError("websocket.accept was sent twice; send it once.");
    }
    if (this.#state === State.Ended) return; // refused by timeout or shutdown, or the client left
    const subprotocol = event.subprotocol ?? null;
    if (subprotocol !== null && !this.#scope.subprotocols.includes(subprotocol)) {
      throw new ProtocolError(
        `websocket.accept chose subprotocol "${subprotocol}", which the client did not offer (offered: ${this.#scope.subprotocols.join(", ") || "none"}).`,
      );
    }
    for (const [name, value] of event.headers ?? []) {
      try {
        validateHeaderName(name);
        validateHeaderValue(name, value);
      } catch (cause) {
        throw new ProtocolError(
          `websocket.accept has an invalid header "${name}"; use a token name and a value without CR/LF.`,
          { cause },
        );
      }
    }
    this.#endHandshake();
    const { accepts, wss } = this.#context;
    accepts.set(this.#req, event);
    wss.handleUpgrade(this.#req, this.#socket, this.#head, this.#onUpgraded);
    accepts.delete(this.#req);
    if (this.#ws === null) {
      // ws destroyed the socket: the client half-closed while the application was deciding
      this.#end("gone", null, DROPPED);
    }
  }

  #close(code: number, reason: string): void {
    if (this.#state === State.Connecting) {
      this.#refuse("refused", 403, DROPPED);
      return;
    }
    if (this.#state !== State.Open || this.#ws === null) return;
    try {
      this.#ws.close(code, reason);
    } catch (cause) {
      throw new ProtocolError(
        `websocket.close has an invalid code ${code} or a reason over 123 bytes; use 1000 or 3000-4999.`,
        { cause },
      );
    }
  }

  readonly #onUpgraded = (ws: WebSocket) => {
    this.#ws = ws;
    this.#state = State.Open;
    this.#status = 101;
    ws.on("message", this.#onMessage);
    ws.on("pong", this.#onPong);
    ws.on("error", this.#onError);
    ws.once("close", this.#onClose);
  };

  // binaryType is the default "nodebuffer", so every message arrives as one Buffer
  readonly #onMessage = (data: RawData, isBinary: boolean) => {
    this.#queue.push(
      isBinary
        ? { type: "websocket.receive", bytes: data as Buffer }
        : { type: "websocket.receive", text: (data as Buffer).toString() },
    );
  };

  // ws closes the socket itself on a bad frame, then can no longer read the client's close
  // frame and would report 1006; the application should see the code that was actually sent.
  readonly #onError = (error: Error & { code?: string }) => {
    if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") this.#errorCode = 1009;
    else if (error.code === "WS_ERR_INVALID_UTF8") this.#errorCode = 1007;
    else if (error.code?.startsWith("WS_ERR_")) this.#errorCode = 1002;
  };

  readonly #onPong = () => {
    this.#alive = true;
  };

  readonly #onClose = (peerCode: number, reason: Buffer) => {
    const code = this.#errorCode ?? peerCode;
    this.#state = State.Ended;
    this.#context.sessions.delete(this);
    this.#queue.finish({ type: "websocket.disconnect", code, reason: reason.toString() });
    this.#log(code);
  };

  readonly #onHandshakeSocketError = ignore;

  readonly #onHandshakeSocketClose = () => {
    if (this.#state === State.Connecting) this.#end("gone", null, DROPPED);
  };

  readonly #onHandshakeTimeout = () => {
    this.#timer = null;
    if (this.#state === State.Connecting) this.#refuse("timeout", 403, DROPPED);
  };

  /** The handshake phase is over either way: stop watching the raw socket. */
  #endHandshake(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#socket.removeListener("error", this.#onHandshakeSocketError);
    this.#socket.removeListener("close", this.#onHandshakeSocketClose);
  }

  /** Answers the upgrade request with `status` instead of upgrading. */
  #refuse(outcome: WebsocketOutcome, status: number, event: WebsocketDisconnectEvent): void {
    this.#endHandshake();
    // writes may still fail after this point; a destroyed socket must not crash the process
    this.#socket.on("error", ignore);
    writeRawResponse(this.#socket, status);
    this.#end(outcome, status, event);
  }

  #end(outcome: WebsocketOutcome, status: number | null, event: WebsocketDisconnectEvent): void {
    this.#endHandshake();
    this.#state = State.Ended;
    this.#outcome = outcome;
    this.#status = status;
    this.#context.sessions.delete(this);
    this.#queue.finish(event);
    this.#log(null);
  }

  #log(closeCode: number | null): void {
    this.#context.logger.access({
      type: "websocket",
      path: this.#scope.path,
      outcome: this.#outcome,
      status: this.#status,
      closeCode,
      durationMs: performance.now() - this.#started,
    });
  }
}

function ignore(): void {}
