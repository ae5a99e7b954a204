import type { Duplex } from "node:stream";
import type { RawData, WebSocket } from "ws";
import { ProtocolError } from "../errors.js";
import type { WebsocketReceiveEvents } from "../types/asgi.js";
import { closeCodeSent, noteFrameError } from "./frame-errors.js";
import { keepalive } from "./keepalive.js";
import { SLOW_READER_CLOSE_CODE } from "./serve-options.js";

const kOpen = Symbol("switchboard.openWebsocket");

/** A socket knows its connection, so shared listeners can find it; `null` once it closed. */
type OpenSocket = WebSocket & { [kOpen]: OpenWebsocket | null };

/** What an open socket tells the session it belongs to. */
export interface OpenWebsocketOwner {
  /** A frame arrived, as the event the application will receive. */
  received(event: WebsocketReceiveEvents): void;
  /** The socket closed with `code` (the one sent after a bad frame, else the peer's). */
  closed(code: number, reason: string): void;
}

/**
 * The open phase of a WebSocket connection: frames in and out, close codes, flow control and
 * keepalive on the socket `ws` handed over after the 101 response.
 */
export class OpenWebsocket {
  readonly #ws: WebSocket;
  /** The upgraded socket `ws` writes to, for frames made once for many sockets. */
  readonly #socket: Duplex;
  readonly #owner: OpenWebsocketOwner;

  constructor(ws: WebSocket, socket: Duplex, owner: OpenWebsocketOwner) {
    this.#ws = ws;
    this.#socket = socket;
    this.#owner = owner;
    // shared listeners, no closure per connection: docs/performance.md#shared-listeners
    (ws as OpenSocket)[kOpen] = this;
    ws.on("message", OpenWebsocket.#onMessage);
    ws.on("error", noteFrameError);
    // "on", not "once": docs/performance.md#shared-listeners
    ws.on("close", OpenWebsocket.#onClose);
  }

  /**
   * Sends a frame; closes the socket with {@link SLOW_READER_CLOSE_CODE} once more than
   * `maxBufferedBytes` wait unsent.
   */
  send(text: string | undefined, bytes: Uint8Array | undefined, maxBufferedBytes: number): void {
    const ws = this.#ws;
    if (text !== undefined) ws.send(text);
    else if (bytes !== undefined) ws.send(bytes);
    else throw new ProtocolError("websocket.send needs text or bytes.");
    this.#closeIfSlow(maxBufferedBytes);
  }

  /**
   * Sends `frame`, the text frame of `text` made once for many sockets, as {@link send} sends
   * `text`. Written to the socket itself: `ws` would frame the text again. Its sender never holds
   * frames back (no permessage-deflate, no Blobs), so the frame keeps its place among the others
   * (docs/performance.md#frame-once-send-many).
   */
  sendFrame(frame: Buffer, text: string, maxBufferedBytes: number): void {
    // a closing socket sends no more data frames; ws.send knows what to do with them
    if (!this.isOpen) return this.send(text, undefined, maxBufferedBytes);
    this.#socket.write(frame);
    this.#closeIfSlow(maxBufferedBytes);
  }

  #closeIfSlow(maxBufferedBytes: number): void {
    if (this.#ws.bufferedAmount > maxBufferedBytes) {
      this.#ws.close(SLOW_READER_CLOSE_CODE, "client reads too slowly");
    }
  }

  /** Neither closing nor closed: a close now would send this side's code. */
  get isOpen(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  close(code: number, reason?: string): void {
    try {
      this.#ws.close(code, reason);
    } catch (cause) {
      throw new ProtocolError(
        `websocket.close has an invalid code ${code} or a reason over 123 bytes; use 1000 or 3000-4999.`,
        { cause },
      );
    }
  }

  /** Sends a keepalive ping, terminating the peer if it did not answer the previous one. */
  ping(): void {
    keepalive(this.#ws);
  }

  /** Flow control for the receive queue: stop reading frames while the application lags. */
  pause(): void {
    this.#ws.pause();
  }

  resume(): void {
    this.#ws.resume();
  }

  /** Shutdown timed out: drop the connection without ceremony. */
  terminate(): void {
    this.#ws.terminate();
  }

  // binaryType is the default "nodebuffer": a message is one Buffer
  static #onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    // ws emits no message after close, the only place the link is cut
    ((this as OpenSocket)[kOpen] as OpenWebsocket).#owner.received(
      isBinary
        ? { type: "websocket.receive", bytes: data as Buffer }
        : { type: "websocket.receive", text: (data as Buffer).toString() },
    );
  }

  static #onClose(this: WebSocket, peerCode: number, reason: Buffer): void {
    const open = (this as OpenSocket)[kOpen] as OpenWebsocket;
    // the socket outlives its close until its handle is released: let go of the connection
    // (docs/performance.md#links-cut-on-close)
    (this as OpenSocket)[kOpen] = null;
    open.#owner.closed(closeCodeSent(this) ?? peerCode, reason.toString());
  }
}
