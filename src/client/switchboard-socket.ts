import { reconnectDelay, type ReconnectPolicy } from "./backoff.js";
import { ABNORMAL_CLOSURE, refusalOf } from "./close-codes.js";
import type { ConnectOptions } from "./connect-options.js";
import { Emitter } from "./emitter.js";
import {
  InvalidMessage,
  QueueFull,
  RequestTimeout,
  SocketClosed,
  TicketRefused,
} from "./errors.js";
import {
  webSocketClass,
  type CloseLike,
  type MessageLike,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./socket-like.js";
import { fetchTicket, ticketProtocols } from "./tickets.js";
import { resolveUrl } from "./urls.js";

/** `connecting` (first attempt), `open`, `reconnecting` (waiting or trying again), `closed`. */
export type SocketState = "connecting" | "open" | "reconnecting" | "closed";

/** The `open` event. */
export interface OpenInfo {
  /** The subprotocol the server picked, or `""`. */
  protocol: string;
  /** Whether this is a reconnection after a drop. */
  reconnected: boolean;
}

/** The `close` event: after each drop, and once when the socket closes for good. */
export interface CloseInfo {
  /** The close code; 1006 when the connection was lost or the handshake refused. */
  code: number;
  reason: string;
  /** The server refused this client (see {@link RefusalInfo}); it will not reconnect. */
  refused: boolean;
  /** A reconnection is scheduled (a `reconnecting` event follows). */
  willReconnect: boolean;
}

/** The `refused` event: the server does not want this client; reconnecting would not help. */
export interface RefusalInfo {
  code: number;
  reason: string;
  /**
   * `true` when the handshake was refused (HTTP 403: not logged in, a foreign origin, a used
   * ticket); a browser reports that only as a close with 1006 before the socket ever opened.
   * `false` for a close code of 4000–4999 or 1008 on an open socket.
   */
  handshake: boolean;
}

/** The `reconnecting` event. */
export interface ReconnectInfo {
  /** 1 for the first attempt after a drop. */
  attempt: number;
  /** The wait before it. */
  delayMs: number;
}

/** The events of a {@link SwitchboardSocket}, with what each listener receives. */
export interface SocketEvents<In> {
  open: OpenInfo;
  /** A parsed JSON frame that is not the reply to a `request()`. */
  message: In;
  close: CloseInfo;
  refused: RefusalInfo;
  reconnecting: ReconnectInfo;
  /** A frame that is not JSON, or a ticket that could not be fetched. */
  error: Error;
}

/** Options of {@link SwitchboardSocket.request}. */
export interface RequestOptions {
  /** How long to wait for the reply. Default: the socket's `requestTimeoutMs`. */
  timeoutMs?: number;
}

interface Outgoing {
  text: string;
  ref?: string;
}

interface Pending {
  resolve(reply: unknown): void;
  reject(error: Error): void;
  sent: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * A WebSocket that speaks JSON, reconnects after drops with backoff, queues messages while it
 * is away, and tells a refusal (never retried) from a lost connection. Made by `connect()`.
 */
export class SwitchboardSocket<In = unknown, Out = unknown> {
  readonly #url: string;
  readonly #options: ConnectOptions;
  readonly #WebSocket: WebSocketConstructor;
  readonly #reconnect: ReconnectPolicy | false;
  readonly #events = new Emitter<SocketEvents<In>>();
  #state: SocketState = "connecting";
  #socket: WebSocketLike | null = null;
  #everOpened = false;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #queue: Outgoing[] = [];
  readonly #pending = new Map<string, Pending>();
  #lastRef = 0;

  constructor(url: string, options: ConnectOptions = {}) {
    this.#url = resolveUrl(url, options.baseUrl, true);
    this.#options = options;
    this.#WebSocket = webSocketClass(options.WebSocket);
    this.#reconnect = options.reconnect ?? {};
    // After connect() returns, so that listeners added next see every event, the first included.
    queueMicrotask(() => void this.#attempt());
  }

  get state(): SocketState {
    return this.#state;
  }

  /** The subprotocol the server picked on the open socket, or `""`. */
  get protocol(): string {
    return this.#state === "open" ? (this.#socket?.protocol ?? "") : "";
  }

  /** Calls `listener` on each `type` event; answers a function that stops that. */
  on<K extends keyof SocketEvents<In>>(
    type: K,
    listener: (value: SocketEvents<In>[K]) => void,
  ): () => void {
    return this.#events.on(type, listener);
  }

  /**
   * Sends `message` as JSON, at once when open, else when the socket (re)connects. Throws
   * `QueueFull` when `maxQueue` messages already wait, `SocketClosed` after the socket closed
   * for good.
   */
  send(message: Out): void {
    this.#transmit({ text: JSON.stringify(message) });
  }

  /**
   * Sends `message` with a `ref` field added, and resolves with the server's reply: the first
   * frame carrying the same `ref` (`reply()` on a `JsonWebsocketConsumer` sends it). Rejects with
   * `RequestTimeout` when none comes within `timeoutMs`, and with `SocketClosed` when the socket
   * drops after sending it (the server may or may not have acted on it) or closes for good.
   */
  request<Reply = In>(message: Out & object, options: RequestOptions = {}): Promise<Reply> {
    const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs ?? 10_000;
    const ref = String(++this.#lastRef);
    return new Promise<Reply>((resolve, reject) => {
      const pending: Pending = {
        resolve: resolve as (reply: unknown) => void,
        reject,
        sent: false,
      };
      this.#pending.set(ref, pending);
      try {
        this.#transmit({ text: JSON.stringify({ ...message, ref }), ref });
      } catch (error) {
        this.#pending.delete(ref);
        throw error;
      }
      pending.timer = setTimeout(() => {
        this.#pending.delete(ref);
        this.#queue = this.#queue.filter((item) => item.ref !== ref);
        reject(
          new RequestTimeout(
            `No reply to request ${ref} within ${timeoutMs} ms: does the server answer it with reply()?`,
          ),
        );
      }, timeoutMs);
    });
  }

  /** Closes the socket for good (no reconnection); waiting requests and messages are dropped. */
  close(code = 1000, reason = ""): void {
    if (this.#state === "closed") return;
    const socket = this.#socket;
    this.#socket = null;
    socket?.close(code, reason);
    this.#finish({ code, reason, refused: false, willReconnect: false });
  }

  async #attempt(): Promise<void> {
    let protocols = this.#options.protocols ?? [];
    const { ticket } = this.#options;
    if (ticket !== undefined) {
      try {
        const fresh = await fetchTicket(ticket, this.#options.baseUrl, this.#options);
        protocols = [...protocols, ...ticketProtocols(fresh)];
      } catch (error) {
        if (this.#state === "closed") return;
        this.#events.emit("error", error as Error);
        const refused = error instanceof TicketRefused;
        return this.#lost(ABNORMAL_CLOSURE, (error as Error).message, refused ? "refused" : null);
      }
      if (this.#state === "closed") return;
    }
    let socket: WebSocketLike;
    try {
      socket = new this.#WebSocket(this.#url, protocols);
    } catch (error) {
      // A URL or subprotocol the WebSocket class rejects: every attempt would fail the same way.
      this.#events.emit("error", error as Error);
      return this.#finish({
        code: ABNORMAL_CLOSURE,
        reason: (error as Error).message,
        refused: false,
        willReconnect: false,
      });
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.#opened(socket);
    };
    socket.onmessage = (event: MessageLike) => this.#received(event.data);
    socket.onclose = ({ code, reason }: CloseLike) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      // A browser shows a refused handshake only as a close before open, like a server that is
      // down. The first connection follows the page load from the same server, so a failure
      // there is taken as a refusal; once connected, a failed attempt is the server restarting.
      const refusal = !opened && !this.#everOpened ? "refused" : refusalOf(code);
      this.#lost(code, reason, refusal, !opened);
    };
    // The close event that follows every error says what happened.
    socket.onerror = () => {};
  }

  #opened(socket: WebSocketLike): void {
    const reconnected = this.#everOpened;
    this.#state = "open";
    this.#everOpened = true;
    this.#failures = 0;
    const queued = this.#queue;
    this.#queue = [];
    for (const item of queued) this.#write(socket, item);
    this.#events.emit("open", { protocol: socket.protocol, reconnected });
  }

  #received(data: unknown): void {
    let value: unknown;
    try {
      if (typeof data !== "string") throw new TypeError("a binary frame");
      value = JSON.parse(data);
    } catch (cause) {
      this.#events.emit(
        "error",
        new InvalidMessage(`The server sent a frame that is not JSON (${String(cause)}).`),
      );
      return;
    }
    const ref = (value as { ref?: unknown } | null)?.ref;
    const pending = typeof ref === "string" ? this.#pending.get(ref) : undefined;
    if (pending === undefined) return this.#events.emit("message", value as In);
    this.#pending.delete(ref as string);
    clearTimeout(pending.timer);
    pending.resolve(value);
  }

  #transmit(item: Outgoing): void {
    if (this.#state === "closed") {
      throw new SocketClosed("The socket is closed for good: connect() again.", 1000);
    }
    const socket = this.#socket;
    if (this.#state === "open" && socket !== null) return this.#write(socket, item);
    const max = this.#options.maxQueue ?? 100;
    if (this.#queue.length >= max) {
      throw new QueueFull(
        `${max} messages already wait for the connection: wait for the open event (or raise maxQueue).`,
      );
    }
    this.#queue.push(item);
  }

  #write(socket: WebSocketLike, item: Outgoing): void {
    socket.send(item.text);
    const pending = item.ref === undefined ? undefined : this.#pending.get(item.ref);
    if (pending !== undefined) pending.sent = true;
  }

  /** The connection (or the attempt) ended: reconnect, or finish and say why. */
  #lost(
    code: number,
    reason: string,
    refusal: "refused" | "finished" | null,
    handshake = true,
  ): void {
    for (const [ref, pending] of this.#pending) {
      if (!pending.sent) continue;
      this.#reject(ref, pending, code, "dropped before the reply came; it may have been handled");
    }
    const refused = refusal === "refused";
    if (refusal !== null || this.#reconnect === false) {
      this.#finish({ code, reason, refused, willReconnect: false });
      if (refused) this.#events.emit("refused", { code, reason, handshake });
      return;
    }
    this.#state = "reconnecting";
    this.#events.emit("close", { code, reason, refused: false, willReconnect: true });
    const delayMs = reconnectDelay(this.#reconnect, this.#failures);
    this.#failures += 1;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#attempt();
    }, delayMs);
    this.#events.emit("reconnecting", { attempt: this.#failures, delayMs });
  }

  #finish(info: CloseInfo): void {
    this.#state = "closed";
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue = [];
    for (const [ref, pending] of this.#pending) {
      this.#reject(ref, pending, info.code, "closed for good before the reply came");
    }
    this.#events.emit("close", info);
  }

  #reject(ref: string, pending: Pending, code: number, what: string): void {
    this.#pending.delete(ref);
    clearTimeout(pending.timer);
    pending.reject(new SocketClosed(`The socket of request ${ref} ${what} (close ${code}).`, code));
  }
}
