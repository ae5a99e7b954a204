import {
  AcceptConnection,
  DenyConnection,
  ImproperlyConfigured,
  InvalidFrame,
  ProtocolError,
  SwitchboardError,
} from "../errors.js";
import type {
  Headers,
  WebsocketConnectEvent,
  WebsocketDisconnectEvent,
  WebsocketReceiveEvent,
  WebsocketScope,
  WebsocketSendEvent,
} from "../types/asgi.js";
import { Consumer } from "./consumer.js";
import { reserveConsumerMethods } from "./handler-name.js";
import { CLIENT_DISCONNECTED } from "./stops.js";

/** One WebSocket frame: text or binary. */
export type WebsocketFrame =
  { text: string; bytes?: undefined } | { bytes: Uint8Array; text?: undefined };

/**
 * A channel-layer message whose text every receiving {@link WebsocketConsumer} sends to its
 * client as one text frame, as is (see {@link WebsocketConsumer.websocketBroadcast}): the way to
 * say that a group's members all send the same frame, so the server makes it once.
 *
 * @example
 * ```ts
 * await layer.groupSend<WebsocketBroadcast>("room.lobby", {
 *   type: "websocket.broadcast",
 *   text: JSON.stringify({ type: "message", user: "ada", text: "hi" }),
 * });
 * ```
 */
export type WebsocketBroadcast = { type: "websocket.broadcast"; text: string };

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
    return groups.length > 0 ? this.#joinThenConnect(groups) : this.connect();
  }

  async #joinThenConnect(groups: readonly string[]): Promise<void> {
    const { channelLayer: layer, channelName: channel } = this;
    if (layer === null || channel === null) {
      throw new ImproperlyConfigured(
        `${this.constructor.name}.groups is set but no channel layer is configured: call setChannelLayer(layer) or pass asApp({ channelLayer }).`,
      );
    }
    this.#joined = groups;
    for (const group of groups) await layer.groupAdd(group, channel);
    await this.connect();
  }

  /**
   * Called when the client connects; accepts by default. Close or throw `DenyConnection` to
   * refuse; `accept()` or throw `AcceptConnection` to accept.
   */
  connect(): void | Promise<void> {
    return this.accept();
  }

  /**
   * Accepts the handshake, optionally choosing one of `scope.subprotocols` and adding headers.
   * Throws `ProtocolError` when the socket is no longer connecting or the client did not offer
   * `subprotocol`.
   */
  async accept(subprotocol: string | null = null, headers?: Headers): Promise<void> {
    if (this.#state !== "connecting") {
      throw new ProtocolError(`accept() called on a WebSocket that is already ${this.#state}.`);
    }
    if (subprotocol !== null && !this.scope.subprotocols.includes(subprotocol)) {
      throw new ProtocolError(
        `accept("${subprotocol}"): the client did not offer that subprotocol; pick one of scope.subprotocols (${this.scope.subprotocols.join(", ") || "none offered"}).`,
      );
    }
    this.#state = "accepted";
    return this.sendEvent({ type: "websocket.accept", subprotocol, ...(headers && { headers }) });
  }

  /**
   * Handles `websocket.receive`: calls {@link receive} with the frame. An event with neither text
   * nor bytes (which the server never sends, but a middleware or a test might) fails the consumer
   * with `ProtocolError` rather than reach {@link receive} as an empty frame.
   */
  websocketReceive(event: WebsocketReceiveEvent): void | Promise<void> {
    // typeof, not `!== undefined`: a message relayed through a layer may carry `text: null`.
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
    if (this.#state === "accepted" && close === false) return this.sendEvent(sendEventOf(frame));
    return this.#sendThenClose(frame, close);
  }

  async #sendThenClose(frame: WebsocketFrame, close: boolean | number): Promise<void> {
    if (this.#state === "connecting") {
      throw new ProtocolError("send() before accept(): accept the connection in connect() first.");
    }
    if (this.#state === "accepted") await this.sendEvent(sendEventOf(frame));
    if (close !== false) await this.close(close === true ? undefined : close);
  }

  /**
   * Handles a {@link WebsocketBroadcast} from the channel layer: sends its text, as
   * `send({ text })` does, but framed once for every member on this process. Unless a subclass
   * overrides this method, a consumer that is idle (no handler running or waiting) when a
   * broadcast comes sends it at once, as the layer hands it over (inside the `groupSend` call with
   * `InMemoryChannelLayer`), instead of a turn later; either way it is sent in order with the
   * consumer's other frames. Override it to send something else; the override is dispatched as
   * any handler is.
   */
  websocketBroadcast(message: WebsocketBroadcast): Promise<void> {
    const { text } = message;
    if (typeof text !== "string") {
      throw new ProtocolError(
        'A websocket.broadcast message needs a string "text": send { type: "websocket.broadcast", text }.',
      );
    }
    if (this.#state !== "accepted") return this.send({ text });
    return this.sendEvent({ type: "websocket.send", text, shared: true });
  }

  /** A broadcast to an accepted socket, unless `websocketBroadcast` is overridden. */
  protected override dispatchesInPlace(message: { type: string }): boolean {
    return (
      message.type === "websocket.broadcast" &&
      this.#state === "accepted" &&
      this.websocketBroadcast === WebsocketConsumer.prototype.websocketBroadcast
    );
  }

  /** Closes the socket; before accept this refuses the handshake (HTTP 403). */
  async close(code?: number, reason?: string): Promise<void> {
    if (this.#state === "closed") return;
    this.#state = "closed";
    await this.sendEvent({
      type: "websocket.close",
      ...(code !== undefined && { code }),
      ...(reason !== undefined && { reason }),
    });
  }

  /** Handles `websocket.disconnect`: leaves `groups`, calls {@link disconnect}, stops the consumer. */
  async websocketDisconnect(event: WebsocketDisconnectEvent): Promise<void> {
    this.#state = "closed";
    if (this.#joined.length > 0) await this.#leaveGroups();
    await this.disconnect(event.code);
    throw CLIENT_DISCONNECTED;
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
    if (this.#state === "connecting") return this.close();
    return this.close(error.closeCode, error instanceof InvalidFrame ? error.reason : undefined);
  }

  protected override async failed(error: unknown): Promise<void> {
    if (this.#state !== "accepted") return;
    const code = error instanceof SwitchboardError ? error.closeCode : 1011;
    // The socket may be gone already; the original error is the one worth reporting.
    await this.close(code).catch(() => {});
  }

  protected override teardown(): Promise<void> {
    return this.#leaveGroups();
  }

  /** Leaves the groups joined on connect. */
  async #leaveGroups(): Promise<void> {
    const { channelLayer: layer, channelName: channel } = this;
    const groups = this.#joined;
    this.#joined = [];
    if (layer === null || channel === null) return;
    for (const group of groups) await layer.groupDiscard(group, channel);
  }
}

reserveConsumerMethods(WebsocketConsumer.prototype);

function sendEventOf(frame: WebsocketFrame): WebsocketSendEvent {
  return frame.text !== undefined
    ? { type: "websocket.send", text: frame.text }
    : { type: "websocket.send", bytes: frame.bytes };
}
