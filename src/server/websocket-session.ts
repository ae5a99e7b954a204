import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { RawData, WebSocket } from "ws";
import { ProtocolError } from "../errors.js";
import type {
  Application,
  Receive,
  Send,
  SendEvent,
  WebsocketAcceptEvent,
  WebsocketDisconnectEvent,
  WebsocketReceiveEvents,
  WebsocketScope,
} from "../types/asgi.js";
import type { Activity } from "./activity.js";
import { buildWebsocketScope } from "./build-scope.js";
import type { ServerAddress } from "./build-scope.js";
import { EventQueue } from "./event-queue.js";
import { closeCodeSent, noteFrameError } from "./frame-errors.js";
import { checkAccept } from "./handshake-checks.js";
import { keepalive } from "./keepalive.js";
import type { Upgrade } from "./upgrader.js";
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

const kSession = Symbol("switchboard.websocketSession");

/**
 * Bytes a client may send before its handshake is answered (RFC 6455 says none); they are kept
 * for the WebSocket, and a client that sends more is disconnected.
 */
const MAX_EARLY_BYTES = 64 * 1024;

/**
 * A socket that knows its session, so shared listeners can find it; `null` once the listeners are
 * done with it (see #endHandshake and #onClose).
 */
type SessionSocket = WebSocket & { [kSession]: WebsocketSession | null };
type HandshakeSocket = Duplex & { [kSession]: WebsocketSession | null };

/** What a session holds only until its handshake is answered. */
interface Handshake {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  /** When the application must have answered (on `performance.now()`'s clock). */
  deadline: number;
}

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
  upgrade: Upgrade;
  /** Live sessions, for keepalive pings and shutdown. */
  sessions: Set<WebsocketSession>;
  /** Sessions whose handshake began in this turn of the event loop (see #watch). */
  newcomers: WebsocketSession[];
  /** Sessions whose handshake outlived its first turn unanswered, for the deadline sweep. */
  connecting: Set<WebsocketSession>;
  activity: Activity;
  serverAddress: ServerAddress;
}

/**
 * One WebSocket connection, from the upgrade request to the close: runs the application, feeds
 * `receive()` from frames through a bounded queue, and turns `send()` events into the handshake
 * response, frames and close codes.
 */
export class WebsocketSession {
  readonly #context: WebsocketContext;
  // what only the handshake needs; dropped once it is over, so an idle connection holds no
  // request object
  #handshake: Handshake | null;
  readonly #scope: WebsocketScope;
  readonly #queue: EventQueue<WebsocketReceiveEvents>;
  readonly #started = performance.now();
  #state = State.Connecting;
  #ws: WebSocket | null = null;

  constructor(context: WebsocketContext, req: IncomingMessage, socket: Duplex, head: Buffer) {
    this.#context = context;
    this.#scope = buildWebsocketScope(req, context.serverAddress);
    this.#queue = new EventQueue(context.options.maxQueuedMessages, this, CONNECT);
    // at once: the server took its own listener off, and an unheard "error" ends the process
    socket.on("error", ignore);
    const deadline = this.#started + context.options.handshakeTimeoutMs;
    this.#handshake = { req, socket, head, deadline };
    context.sessions.add(this);
    if (context.newcomers.push(this) === 1) {
      setImmediate(WebsocketSession.#watchNewcomers, context);
    }
  }

  /**
   * Once per turn of the event loop, after its I/O callbacks and promise reactions: the
   * handshakes that began in it and are still unanswered start being watched. Most applications
   * answer within the turn (a session and a user read from SQLite, a token checked), and their
   * sockets never pay for the listeners; no event of the socket can be missed meanwhile, as its
   * next ones come in a later turn (the first, "end" or "close", is checked for below).
   */
  static #watchNewcomers(context: WebsocketContext): void {
    const sessions = context.newcomers;
    context.newcomers = [];
    for (const session of sessions) session.#watch();
  }

  /** Watches the socket of a handshake still unanswered; a watched session is in `connecting`. */
  #watch(): void {
    const handshake = this.#handshake;
    if (handshake === null) return;
    const { socket } = handshake;
    if (socket.destroyed || socket.readableEnded) {
      this.#clientLeft(socket);
      return;
    }
    // shared listeners and one sweep for every handshake's deadline (see serve): no timer and no
    // bound listener per connection
    (socket as HandshakeSocket)[kSession] = this;
    // reading while the application decides is how a client that leaves is noticed ("end": the
    // server's sockets allow half-open, so a FIN alone does not close them)
    socket.on("data", WebsocketSession.#onEarlyData);
    socket.on("end", WebsocketSession.#onHandshakeSocketClose);
    socket.on("close", WebsocketSession.#onHandshakeSocketClose);
    this.#context.connecting.add(this);
  }

  /**
   * Runs the application to its end. Not an async function: an idle connection then holds one
   * promise reaction here instead of a second suspended frame.
   */
  run(app: Application): void {
    this.#context.activity.start();
    let result: Promise<void>;
    try {
      // bound here, once per connection, and held only by the application; closures assigned to
      // names would each get a defineProperty from tsx's keepNames, costing CPU and a property
      // dictionary per function
      const receive: Receive = this.#queue.next.bind(this.#queue);
      const send: Send = this.#dispatch.bind(this);
      result = app(this.#scope, receive, send);
    } catch (error) {
      result = Promise.reject(error);
    }
    // bound methods rather than arrows: two plain objects, without the context arrows would share
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
    keepalive(ws);
  }

  /** Shutdown: an open socket is closed with 1001, a pending handshake answered 503. */
  shutdown(): void {
    if (this.#state === State.Connecting) this.#refuse("shutdown", 503, GOING_AWAY);
    else if (this.#state === State.Open) this.#ws?.close(1001, "server shutting down");
  }

  /** Shutdown timed out: drop the connection without ceremony. */
  destroy(): void {
    if (this.#ws !== null) this.#ws.terminate();
    else this.#handshake?.socket.destroy();
  }

  /** Flow control for the receive queue: stop reading frames while the application lags. */
  pause(): void {
    this.#ws?.pause();
  }

  resume(): void {
    this.#ws?.resume();
  }

  #dispatch(event: SendEvent): Promise<void> {
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
  }

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
    checkAccept(event, this.#scope.subprotocols);
    // not corked for the rest of the tick: sent at once, the 101 lets the client start on the
    // connection while the application is still at work (corked, sequential authenticated
    // handshakes took ~10 % longer, for one syscall saved)
    const { req, socket, head } = this.#endHandshake() as Handshake;
    const ws = this.#context.upgrade(req, socket, head, event);
    if (ws === null) {
      // ws destroyed the socket: the client half-closed while the application was deciding
      this.#end("gone", null, DROPPED);
      return;
    }
    // ws listens for socket errors from here on
    socket.removeListener("error", ignore);
    this.#ws = ws;
    this.#state = State.Open;
    (ws as SessionSocket)[kSession] = this;
    ws.on("message", WebsocketSession.#onMessage);
    ws.on("error", noteFrameError);
    // "on", not "once": close comes once anyway, and once() allocates a wrapper per socket
    ws.on("close", WebsocketSession.#onClose);
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

  // Shared by every socket (the session is found on the socket), so listening costs no closure
  // per connection. binaryType is the default "nodebuffer": a message is one Buffer.
  static #onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    // ws emits no message after close, the only place the link is cut
    ((this as SessionSocket)[kSession] as WebsocketSession).#queue.push(
      isBinary
        ? { type: "websocket.receive", bytes: data as Buffer }
        : { type: "websocket.receive", text: (data as Buffer).toString() },
    );
  }

  static #onClose(this: WebSocket, peerCode: number, reason: Buffer): void {
    const session = (this as SessionSocket)[kSession] as WebsocketSession;
    const code = closeCodeSent(this) ?? peerCode;
    // Cut the links between the socket and the session: the socket object lives on until its
    // handle is released, and held the session, its scope and queue with it through young-
    // generation collections (per echo handshake, 8.8 KB promoted to the old generation before,
    // 4.4-6.4 KB after; raw ws 3.1 KB).
    (this as SessionSocket)[kSession] = null;
    session.#ws = null;
    session.#state = State.Ended;
    session.#context.sessions.delete(session);
    session.#queue.finish({ type: "websocket.disconnect", code, reason: reason.toString() });
    session.#log("accepted", 101, code);
  }

  /** The client left before the application answered its handshake. */
  static #onHandshakeSocketClose(this: Duplex): void {
    // only listening while the handshake is open: #endHandshake removes this listener
    ((this as HandshakeSocket)[kSession] as WebsocketSession).#clientLeft(this);
  }

  #clientLeft(socket: Duplex): void {
    this.#end("gone", null, DROPPED);
    // after an "end" the socket is half-open: nothing will be written to it, so let it go
    socket.destroy();
  }

  /** Frames sent before the 101 response: kept for the WebSocket, within a bound. */
  static #onEarlyData(this: Duplex, chunk: Buffer): void {
    // only listening while the handshake is open: #endHandshake removes this listener
    const handshake = ((this as HandshakeSocket)[kSession] as WebsocketSession)
      .#handshake as Handshake;
    if (handshake.head.length + chunk.length > MAX_EARLY_BYTES) {
      this.destroy();
      return;
    }
    handshake.head = Buffer.concat([handshake.head, chunk]);
  }

  /** Refuses the handshake with 403 if the application has not answered by its deadline. */
  refuseIfOverdue(now: number): void {
    const handshake = this.#handshake;
    if (handshake !== null && now >= handshake.deadline) this.#refuse("timeout", 403, DROPPED);
  }

  /** The handshake phase is over either way: stop watching the raw socket, drop the request. */
  #endHandshake(): Handshake | null {
    const handshake = this.#handshake;
    if (handshake === null) return null;
    this.#handshake = null;
    // only a watched socket has listeners to take off (see #watch)
    if (!this.#context.connecting.delete(this)) return handshake;
    // the socket stays flowing: ws adds its own "data" listener in the same tick
    const { socket } = handshake;
    (socket as HandshakeSocket)[kSession] = null;
    socket.removeListener("data", WebsocketSession.#onEarlyData);
    socket.removeListener("end", WebsocketSession.#onHandshakeSocketClose);
    socket.removeListener("close", WebsocketSession.#onHandshakeSocketClose);
    return handshake;
  }

  /** Answers the upgrade request with `status` instead of upgrading. */
  #refuse(outcome: WebsocketOutcome, status: number, event: WebsocketDisconnectEvent): void {
    const handshake = this.#endHandshake();
    // the socket's "error" listener stays: writing the answer may still fail
    if (handshake !== null) writeRawResponse(handshake.socket, status);
    this.#end(outcome, status, event);
  }

  #end(outcome: WebsocketOutcome, status: number | null, event: WebsocketDisconnectEvent): void {
    this.#endHandshake();
    this.#state = State.Ended;
    this.#context.sessions.delete(this);
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

function ignore(): void {}
