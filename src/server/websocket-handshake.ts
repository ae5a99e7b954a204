import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { WebSocket } from "ws";
import type { WebsocketAcceptEvent } from "../types/asgi.js";
import { writeRawResponse } from "./failure.js";
import type { Upgrader } from "./upgrader.js";

const kHandshake = Symbol("switchboard.websocketHandshake");

/** A watched socket knows its handshake, so shared listeners can find it; `null` once unwatched. */
type WatchedSocket = Duplex & { [kHandshake]: WebsocketHandshake | null };

/**
 * Bytes a client may send before its handshake is answered (RFC 6455 says none); they are kept
 * for the WebSocket, and a client that sends more is disconnected.
 */
const MAX_EARLY_BYTES = 64 * 1024;

/** What a handshake tells the session it belongs to. */
export interface HandshakeOwner {
  /** The client left before the application answered. */
  clientLeft(): void;
  /** The application did not answer by the deadline. */
  overdue(): void;
}

/**
 * A server's unanswered handshakes: those that began in this turn of the event loop, and those
 * that outlived it and are watched, for the deadline sweep.
 */
export class PendingHandshakes {
  #newcomers: WebsocketHandshake[] = [];
  readonly watched = new Set<WebsocketHandshake>();
  // once per turn: docs/performance.md#handshakes-answered-in-their-first-turn
  readonly #watchNewcomers = (): void => {
    const newcomers = this.#newcomers;
    this.#newcomers = [];
    for (const handshake of newcomers) handshake.watch();
  };

  add(handshake: WebsocketHandshake): void {
    if (this.#newcomers.push(handshake) === 1) setImmediate(this.#watchNewcomers);
  }

  /** Refuses the watched handshakes whose deadline passed. */
  sweep(now: number): void {
    for (const handshake of this.watched) handshake.refuseIfOverdue(now);
  }
}

/**
 * The handshake phase of a WebSocket connection: the upgrade request, its socket while it is
 * still plain HTTP, the bytes the client sent early, and the deadline for the application's
 * answer. Ends with {@link upgrade} (accepted) or {@link refuse}.
 */
export class WebsocketHandshake {
  readonly req: IncomingMessage;
  readonly socket: Duplex;
  #head: Buffer;
  /** When the application must have answered (on `performance.now()`'s clock). */
  readonly #deadline: number;
  readonly #owner: HandshakeOwner;
  readonly #pending: PendingHandshakes;
  #over = false;

  constructor(
    pending: PendingHandshakes,
    owner: HandshakeOwner,
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    deadline: number,
  ) {
    // at once: the server took its own listener off, and an unheard "error" ends the process
    socket.on("error", ignore);
    this.req = req;
    this.socket = socket;
    this.#head = head;
    this.#deadline = deadline;
    this.#owner = owner;
    this.#pending = pending;
    pending.add(this);
  }

  /**
   * Starts watching the socket of a handshake still unanswered at the end of its first turn. No
   * event of the socket can have been missed: its next ones come in a later turn, and the first,
   * "end" or "close", is checked for here.
   */
  watch(): void {
    if (this.#over) return;
    const { socket } = this;
    if (socket.destroyed || socket.readableEnded) {
      this.#clientLeft();
      return;
    }
    // shared listeners and the server's one deadline sweep: docs/performance.md#shared-listeners
    (socket as WatchedSocket)[kHandshake] = this;
    // reading while the application decides is how a client that leaves is noticed ("end": the
    // server's sockets allow half-open, so a FIN alone does not close them)
    socket.on("data", WebsocketHandshake.#onEarlyData);
    socket.on("end", WebsocketHandshake.#onSocketClose);
    socket.on("close", WebsocketHandshake.#onSocketClose);
    this.#pending.watched.add(this);
  }

  /** Calls the owner's `overdue()` if the application has not answered by the deadline. */
  refuseIfOverdue(now: number): void {
    if (now >= this.#deadline) this.#owner.overdue();
  }

  /**
   * Completes the handshake the application accepted: the 101 response leaves at once, not
   * corked (docs/performance.md#the-101-is-not-corked). `null` if the client already left.
   */
  upgrade(upgrader: Upgrader, accept: WebsocketAcceptEvent): WebSocket | null {
    this.end();
    const ws = upgrader.upgrade(this.req, this.socket, this.#head, accept);
    // from here on ws listens for socket errors (or destroyed the socket: the client half-closed)
    if (ws !== null) this.socket.removeListener("error", ignore);
    return ws;
  }

  /** Answers the upgrade request with `status` instead of upgrading. */
  refuse(status: number): void {
    this.end();
    // the socket's "error" listener stays: writing the answer may still fail
    writeRawResponse(this.socket, status);
  }

  /** Stops watching the raw socket; the handshake is over either way. */
  end(): void {
    this.#over = true;
    // only a watched socket has listeners to take off
    if (!this.#pending.watched.delete(this)) return;
    // the socket stays flowing: ws adds its own "data" listener in the same tick
    const { socket } = this;
    (socket as WatchedSocket)[kHandshake] = null;
    socket.removeListener("data", WebsocketHandshake.#onEarlyData);
    socket.removeListener("end", WebsocketHandshake.#onSocketClose);
    socket.removeListener("close", WebsocketHandshake.#onSocketClose);
  }

  #clientLeft(): void {
    this.#owner.clientLeft();
    // after an "end" the socket is half-open: nothing will be written to it, so let it go
    this.socket.destroy();
  }

  /** The client left before the application answered its handshake. */
  static #onSocketClose(this: Duplex): void {
    // only listening while watched: end() removes this listener
    ((this as WatchedSocket)[kHandshake] as WebsocketHandshake).#clientLeft();
  }

  /** Frames sent before the 101 response: kept for the WebSocket, within a bound. */
  static #onEarlyData(this: Duplex, chunk: Buffer): void {
    // only listening while watched: end() removes this listener
    const handshake = (this as WatchedSocket)[kHandshake] as WebsocketHandshake;
    if (handshake.#head.length + chunk.length > MAX_EARLY_BYTES) {
      this.destroy();
      return;
    }
    handshake.#head = Buffer.concat([handshake.#head, chunk]);
  }
}

function ignore(): void {}
