/**
 * The application interface: ASGI with TypeScript types and camelCase event fields.
 *
 * Every connection is served by an {@link Application}. Routers, middleware and consumers are
 * applications too, so they compose.
 *
 * @example
 * ```ts
 * import type { Application } from "switchboard";
 *
 * const hello: Application = async (scope, receive, send) => {
 *   if (scope.type !== "http") throw new Error("http only");
 *   await send({ type: "http.response.start", status: 200, headers: [["content-type", "text/plain"]] });
 *   await send({ type: "http.response.body", body: Buffer.from("hello") });
 * };
 * ```
 * @module
 */

/** Header pairs with lower-cased names, in the order they arrived. */
export type Headers = ReadonlyArray<readonly [name: string, value: string]>;

/** A `[host, port]` pair, as ASGI describes client and server addresses. */
export type HostPort = readonly [host: string, port: number];

/** What a URL router matched: positional groups in `args`, named ones in `kwargs`. */
export interface UrlRoute {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** Fields every connection scope has. Middleware may add more (`cookies`, `session`, `user`). */
export interface BaseScope {
  /** Path of the request, percent-decoded, starting with `/`. */
  path: string;
  /** Path as it arrived on the wire, not decoded. */
  rawPath: string;
  /** The prefix nested URL routers have consumed so far (`""` at the top). */
  rootPath: string;
  /** The query string without the leading `?`, not decoded. */
  queryString: string;
  headers: Headers;
  client: HostPort | null;
  server: HostPort | null;
  /** Set by a URL router: what the matched route captured. */
  urlRoute?: UrlRoute;
}

/** The scope of one HTTP request. */
export interface HttpScope extends BaseScope {
  type: "http";
  method: string;
  scheme: "http" | "https";
  httpVersion: string;
}

/** The scope of one WebSocket connection. */
export interface WebsocketScope extends BaseScope {
  type: "websocket";
  scheme: "ws" | "wss";
  httpVersion: string;
  /** Subprotocols the client offered in `Sec-WebSocket-Protocol`, in order. */
  subprotocols: readonly string[];
}

/** The scope of a background worker consuming a named channel (see `channelNameRouter`). */
export interface ChannelScope {
  type: "channel";
  channel: string;
  urlRoute?: UrlRoute;
}

/** Any scope Switchboard creates. */
export type Scope = HttpScope | WebsocketScope | ChannelScope;

// ---- Events from the client (what `receive()` yields) ----

export interface HttpRequestEvent {
  type: "http.request";
  body: Uint8Array;
  /** `true` while more body chunks will follow. */
  moreBody: boolean;
}
export interface HttpDisconnectEvent {
  type: "http.disconnect";
}
export interface WebsocketConnectEvent {
  type: "websocket.connect";
}
export interface WebsocketReceiveEvent {
  type: "websocket.receive";
  /** Set for a text frame. */
  text?: string;
  /** Set for a binary frame. */
  bytes?: Uint8Array;
}
export interface WebsocketDisconnectEvent {
  type: "websocket.disconnect";
  /** The close code the peer sent, or 1006 when the connection dropped without one. */
  code: number;
  reason?: string;
}

/**
 * A message carried by a channel layer: a JSON-serialisable object whose `type` names the handler,
 * e.g. `{ type: "chat.message", text: "hi" }`.
 */
export interface ChannelMessage {
  type: string;
  [field: string]: unknown;
}

export type HttpReceiveEvent = HttpRequestEvent | HttpDisconnectEvent;
export type WebsocketReceiveEvents =
  WebsocketConnectEvent | WebsocketReceiveEvent | WebsocketDisconnectEvent;

/**
 * Everything `receive()` can yield. Channel-layer messages do not come through here: a consumer
 * reads its own channel from the layer and merges both sources (see the consumers layer).
 */
export type ReceiveEvent = HttpReceiveEvent | WebsocketReceiveEvents;

// ---- Events to the client (what `send()` takes) ----

export interface HttpResponseStartEvent {
  type: "http.response.start";
  status: number;
  headers?: Headers;
}
export interface HttpResponseBodyEvent {
  type: "http.response.body";
  body?: Uint8Array;
  /** `true` while more body chunks will follow. */
  moreBody?: boolean;
}
export interface WebsocketAcceptEvent {
  type: "websocket.accept";
  subprotocol?: string | null;
  /** Extra response headers for the handshake. */
  headers?: Headers;
}
export interface WebsocketSendEvent {
  type: "websocket.send";
  text?: string;
  bytes?: Uint8Array;
  /**
   * Switchboard's hint that the same `text` goes to many sockets in a row (what
   * `WebsocketConsumer.websocketBroadcast` sends): the server frames it once and writes the same
   * bytes to each. Frames are the same with or without it.
   */
  shared?: boolean;
}
export interface WebsocketCloseEvent {
  type: "websocket.close";
  /** Close code; 1000 when omitted. Before accept, any close refuses the handshake with HTTP 403. */
  code?: number;
  reason?: string;
}

export type HttpSendEvent = HttpResponseStartEvent | HttpResponseBodyEvent;
export type WebsocketSendEvents = WebsocketAcceptEvent | WebsocketSendEvent | WebsocketCloseEvent;

/** Everything `send()` takes. */
export type SendEvent = HttpSendEvent | WebsocketSendEvents;

export type Receive = () => Promise<ReceiveEvent>;
export type Send = (event: SendEvent) => Promise<void>;

/**
 * Serves one connection. `S` narrows the scope an application needs: an application written for
 * `WebsocketScope & AuthScope` only type-checks under middleware that provides `AuthScope`.
 */
export type Application<S extends Scope = Scope> = (
  scope: S,
  receive: Receive,
  send: Send,
) => Promise<void>;

/**
 * Wraps an application. `Outer` is the scope the middleware receives, `Inner` what it hands on.
 *
 * @example
 * ```ts
 * const stamp: Middleware = (inner) => async function stamp(scope, receive, send) {
 *   return inner({ ...scope }, receive, send);
 * };
 * ```
 */
export type Middleware<Outer extends Scope = Scope, Inner extends Scope = Outer> = (
  inner: Application<Inner>,
) => Application<Outer>;
