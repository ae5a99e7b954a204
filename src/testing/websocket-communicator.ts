import { ImproperlyConfigured, ProtocolError } from "../errors.js";
import type { Application, Headers, SendEvent, WebsocketScope } from "../types/asgi.js";
import { ApplicationCommunicator, DEFAULT_TIMEOUT_MS } from "./application-communicator.js";
import {
  checkFrame,
  checkOptionalObject,
  checkSubprotocols,
  describeValue,
  jsonText,
} from "./communicator-arguments.js";
import type { ClientFrame } from "./communicator-arguments.js";
import { connectionFields } from "./request-target.js";
import type { HeadersInit } from "./request-target.js";
import type { OptionalWhenEmpty } from "./scope-extras.js";

/** Scope fields the communicator fills with defaults that a test may override. */
type WebsocketScopeDefaults = Partial<
  Pick<WebsocketScope, "client" | "server" | "scheme" | "httpVersion" | "rootPath">
>;

/**
 * Options of a {@link WebsocketCommunicator}. Fields the application's scope type adds beyond
 * `WebsocketScope` (`user`, `session`, ...) go on the scope and are required here (see
 * {@link OptionalWhenEmpty}).
 */
export type WebsocketCommunicatorOptions<S extends WebsocketScope = WebsocketScope> = {
  headers?: HeadersInit;
  /** Subprotocols the client offers, in order. */
  subprotocols?: string[];
} & WebsocketScopeDefaults &
  Omit<S, Exclude<keyof WebsocketScope, "urlRoute">>;

/** What {@link WebsocketCommunicator.connect} learned from the handshake. */
export type ConnectResult =
  | { connected: true; subprotocol: string | null; headers: Headers }
  | { connected: false; closeCode: number };

/**
 * Drives a WebSocket application in process, as Channels' `WebsocketCommunicator` does. The scope
 * is built like the server's: the path percent-decoded, the query string split off, header names
 * lower-cased.
 *
 * @example
 * ```ts
 * const communicator = new WebsocketCommunicator(EchoConsumer.asApp(), "/echo/?room=1", {
 *   headers: { origin: "https://example.com" },
 *   user, // what middleware would add: required when the consumer's scope type has it
 * });
 * assert.deepEqual(await communicator.connect(), { connected: true, subprotocol: null, headers: [] });
 * await communicator.sendTo({ text: "hi" });
 * assert.equal(await communicator.receiveFrom(), "hi");
 * await communicator.disconnect();
 * ```
 */
export class WebsocketCommunicator<
  S extends WebsocketScope = WebsocketScope,
> extends ApplicationCommunicator<S> {
  constructor(
    application: Application<S>,
    path: string,
    ...[options]: OptionalWhenEmpty<WebsocketCommunicatorOptions<S>>
  ) {
    checkOptionalObject(options, "options", '{ headers: { origin: "https://example.com" } }');
    const { headers, subprotocols = [], ...extras } = options ?? {};
    checkSubprotocols(subprotocols);
    const scope = {
      type: "websocket",
      ...connectionFields(path, headers),
      scheme: "ws",
      subprotocols,
      ...extras,
    } as WebsocketScope as S;
    super(application, scope);
  }

  /** Sends `websocket.connect` and reports whether the application accepted or refused it. */
  async connect(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ConnectResult> {
    await this.sendInput({ type: "websocket.connect" });
    const event = await this.receiveOutput(timeoutMs);
    if (event.type === "websocket.close")
      return { connected: false, closeCode: event.code ?? 1000 };
    if (event.type === "websocket.accept") {
      return {
        connected: true,
        subprotocol: event.subprotocol ?? null,
        headers: event.headers ?? [],
      };
    }
    throw new ProtocolError(
      `Expected websocket.accept or websocket.close in answer to websocket.connect, got ${describe(event)}.`,
    );
  }

  /**
   * Sends one frame from the client: `{ text }` or `{ bytes }`. `{ text: "" }` is an empty text
   * frame; a frame with neither (or both) is refused with `ImproperlyConfigured`.
   */
  async sendTo(frame: ClientFrame): Promise<void> {
    await this.sendInput({ type: "websocket.receive", ...checkFrame(frame) });
  }

  /** Sends `data` as a JSON text frame; `data` must be JSON-serialisable. */
  async sendJsonTo(data: unknown): Promise<void> {
    await this.sendTo({ text: jsonText(data) });
  }

  /** The next frame the application sent: a string for text, bytes for binary. */
  async receiveFrom(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string | Uint8Array> {
    const event = await this.receiveOutput(timeoutMs);
    if (event.type !== "websocket.send") {
      throw new ProtocolError(`Expected websocket.send, got ${describe(event)}.`);
    }
    if ((event.text === undefined) === (event.bytes === undefined)) {
      throw new ProtocolError("websocket.send must carry exactly one of text and bytes.");
    }
    return event.text ?? (event.bytes as Uint8Array);
  }

  /** The next frame the application sent, parsed as JSON; it must be a text frame. */
  async receiveJsonFrom(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<unknown> {
    const payload = await this.receiveFrom(timeoutMs);
    if (typeof payload !== "string") {
      throw new ProtocolError("Expected a JSON text frame, got a binary frame.");
    }
    return JSON.parse(payload);
  }

  /** Sends `websocket.disconnect` with `code` and waits for the application to return. */
  async disconnect(code = 1000, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    if (!Number.isInteger(code)) {
      throw new ImproperlyConfigured(
        `disconnect() code must be an integer close code such as 1000, got ${describeValue(code)}.`,
      );
    }
    await this.sendInput({ type: "websocket.disconnect", code });
    await this.wait(timeoutMs);
  }
}

function describe(event: SendEvent): string {
  return event.type === "websocket.close"
    ? `websocket.close (code ${event.code ?? 1000}${event.reason ? `, "${event.reason}"` : ""})`
    : event.type;
}
