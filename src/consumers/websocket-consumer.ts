import {
  AcceptConnection,
  DenyConnection,
  ImproperlyConfigured,
  InvalidFrame,
  ProtocolError,
  StopConsumer,
  SwitchboardError,
} from "../errors.js";
import type {
  Headers,
  WebsocketConnectEvent,
  WebsocketDisconnectEvent,
  WebsocketReceiveEvent,
  WebsocketScope,
} from "../types/asgi.js";
import type { ChannelLayer } from "../layers/channel-layer.js";
import { Consumer } from "./consumer.js";
import { reserveConsumerMethods } from "./handler-name.js";

/** Nothing to wait for: a frame dropped on a closed socket, no groups to leave. */
const RESOLVED: Promise<void> = Promise.resolve();

/** One WebSocket frame: text or binary. */
export type WebsocketFrame =
  { text: string; bytes?: undefined } | { bytes: Uint8Array; text?: undefined };

/**
 * A WebSocket consumer, like Channels' `AsyncWebsocketConsumer`. Override {@link connect}
 * (accepts by default), {@link receive} and {@link disconnect}; answer with {@link send},
 * {@link accept} and {@link close}.
 *
 * - Closing before accepting, or throwing `DenyConnection`, refuses the handshake (HTTP 403);
 *   throwing `AcceptConnection` from {@link connect} accepts it.
 * - An exception before accepting propagates (the server answers 500); after accepting the
 *   socket is closed with 1011 (or the error's `closeCode`) and the exception is rethrown.
 *   `InvalidFrame` after accepting closes with 1007 and the consumer carries on until the
 *   disconnect, as a client's fault is no crash.
 * - With a channel layer, the channels of `static groups` join them as the client connects and
 *   leave as it disconnects (or the consumer fails).
 *
 * @example
 * ```ts
 * class EchoConsumer extends WebsocketConsumer {
 *   static override groups = ["echo"];
 *   override async receive({ text }: WebsocketFrame) {
 *     if (text !== undefined) await this.send({ text });
 *   }
 * }
 * ```
 */
export class WebsocketConsumer<S extends WebsocketScope = WebsocketScope> extends Consumer<S> {
  /** Groups every connection's channel joins on connect and leaves on disconnect. */
  static groups: readonly string[] = [];

  #state: "connecting" | "accepted" | "closed" = "connecting";
  #joined: readonly string[] = [];

  /** Handles `websocket.connect`: joins `groups`, then calls {@link connect}. */
  websocketConnect(_event: WebsocketConnectEvent): void | Promise<void> {
    const { groups } = this.constructor as typeof WebsocketConsumer;
    // Not async for a consumer without groups (most of them): connect()'s own result is enough.
    if (groups.length === 0) return this.connect();
    const layer = this.channelLayer;
    const channel = this.channelName;
    if (layer === null || channel === null) {
      throw new ImproperlyConfigured(
        `${this.constructor.name}.groups is set but no channel layer is configured: call setChannelLayer(layer) or pass asApp({ channelLayer }).`,
      );
    }
    this.#joined = groups;
    return joinGroups(layer, groups, channel).then(() => this.connect());
  }

  /**
   * Called when the client connects; accepts by default. Close or throw `DenyConnection` to
   * refuse; `accept()` or throw `AcceptConnection` to accept.
   */
  connect(): void | Promise<void> {
    return this.accept();
  }

  /** Accepts the handshake, optionally choosing one of `scope.subprotocols` and adding headers. */
  accept(subprotocol: string | null = null, headers?: Headers): Promise<void> {
    if (this.#state !== "connecting") {
      return Promise.reject(
        new ProtocolError(`accept() called on a WebSocket that is already ${this.#state}.`),
      );
    }
    if (subprotocol !== null && !this.scope.subprotocols.includes(subprotocol)) {
      return Promise.reject(
        new ProtocolError(
          `accept("${subprotocol}"): the client did not offer that subprotocol; pick one of scope.subprotocols (${this.scope.subprotocols.join(", ") || "none offered"}).`,
        ),
      );
    }
    this.#state = "accepted";
    // Not async, as every handshake accepts once: the server's promise is handed back as it is.
    return this.sendEvent(
      !headers
        ? { type: "websocket.accept", subprotocol }
        : { type: "websocket.accept", subprotocol, headers },
    );
  }

  /**
   * Handles `websocket.receive`: calls {@link receive} with the frame. An event with neither text
   * nor bytes (which the server never sends, but a middleware or a test might) fails the consumer
   * with `ProtocolError` rather than reach {@link receive} as an empty frame.
   */
  websocketReceive(event: WebsocketReceiveEvent): void | Promise<void> {
    // typeof, not `!== undefined`: a message relayed through a layer may carry `text: null`.
    // Not async: receive()'s own result is awaited by the dispatch loop, once per frame.
    if (typeof event.text === "string") return this.receive({ text: event.text });
    if (event.bytes instanceof Uint8Array) return this.receive({ bytes: event.bytes });
    throw new ProtocolError(
      "websocket.receive carries neither text (a string) nor bytes (a Uint8Array): whatever built the event (a middleware, a test's sendInput) must set one of them.",
    );
  }

  /** Called for each frame from the client. */
  receive(_frame: WebsocketFrame): void | Promise<void> {}

  /**
   * Sends a frame to the client, then closes when `close` is `true` or a close code. Frames sent
   * after the socket was closed are dropped: the client can no longer receive them.
   */
  send(frame: WebsocketFrame, close: boolean | number = false): Promise<void> {
    // Not async: a plain send hands back the server's promise without a frame and an await of
    // its own, and a group message runs it once per member.
    if (this.#state === "connecting") {
      return Promise.reject(
        new ProtocolError("send() before accept(): accept the connection in connect() first."),
      );
    }
    const sent =
      this.#state === "accepted"
        ? // one literal per kind instead of a spread: a group message builds this once per member
          this.sendEvent(
            frame.text !== undefined
              ? { type: "websocket.send", text: frame.text }
              : { type: "websocket.send", bytes: frame.bytes },
          )
        : RESOLVED;
    if (close === false) return sent;
    return sent.then(() => this.close(close === true ? undefined : close));
  }

  /** Closes the socket; before accept this refuses the handshake (HTTP 403). */
  close(code?: number, reason?: string): Promise<void> {
    if (this.#state === "closed") return RESOLVED;
    this.#state = "closed";
    return this.sendEvent({
      type: "websocket.close",
      ...(code !== undefined && { code }),
      ...(reason !== undefined && { reason }),
    });
  }

  /** Handles `websocket.disconnect`: leaves `groups`, calls {@link disconnect}, stops the consumer. */
  websocketDisconnect(event: WebsocketDisconnectEvent): Promise<void> {
    this.#state = "closed";
    const leaving = this.#leaveGroups();
    if (leaving === null) return this.#disconnected(event.code);
    return leaving.then(() => this.#disconnected(event.code));
  }

  /**
   * Calls {@link disconnect}, then ends the consumer with `StopConsumer`: thrown at once after a
   * plain `disconnect()`, as most are, instead of through a frame and a promise of its own.
   */
  #disconnected(code: number): Promise<never> {
    const done = this.disconnect(code);
    if (done === undefined) return clientLeft();
    return Promise.resolve(done).then(clientLeft);
  }

  /** Called once the client is gone, with its close code (1006 when the connection dropped). */
  disconnect(_code: number): void | Promise<void> {}

  /**
   * `AcceptConnection` accepts (a second accept fails with `ProtocolError`); a refusal or a
   * client's bad frame closes the socket, and the consumer waits for the disconnect.
   */
  protected override handlerFailed(error: unknown): void | Promise<void> {
    if (error instanceof AcceptConnection) return this.accept();
    if (!(error instanceof DenyConnection || error instanceof InvalidFrame)) throw error;
    return this.close(this.#state === "connecting" ? undefined : error.closeCode);
  }

  protected override async failed(error: unknown): Promise<void> {
    if (this.#state !== "accepted") return;
    const code = error instanceof SwitchboardError ? error.closeCode : 1011;
    // The socket may be gone already; the original error is the one worth reporting.
    await this.close(code).catch(() => {});
  }

  protected override teardown(): Promise<void> {
    return this.#leaveGroups() ?? RESOLVED;
  }

  /** Leaves the groups joined on connect; `null` when there are none, as for most consumers. */
  #leaveGroups(): Promise<void> | null {
    const { channelLayer: layer, channelName: channel } = this;
    const groups = this.#joined;
    this.#joined = [];
    if (layer === null || channel === null || groups.length === 0) return null;
    return leaveGroups(layer, groups, channel);
  }
}

reserveConsumerMethods(WebsocketConsumer.prototype);

function clientLeft(): never {
  throw StopConsumer.routine("The client disconnected.");
}

async function joinGroups(
  layer: ChannelLayer,
  groups: readonly string[],
  channel: string,
): Promise<void> {
  for (const group of groups) await layer.groupAdd(group, channel);
}

async function leaveGroups(
  layer: ChannelLayer,
  groups: readonly string[],
  channel: string,
): Promise<void> {
  for (const group of groups) await layer.groupDiscard(group, channel);
}
