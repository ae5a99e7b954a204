import { MessageTooLarge, StopConsumer } from "../errors.js";
import type { Headers, HttpDisconnectEvent, HttpRequestEvent, HttpScope } from "../types/asgi.js";
import { Consumer } from "./consumer.js";
import { reserveConsumerMethods } from "./handler-name.js";
import { CLIENT_DISCONNECTED, RESPONSE_SENT } from "./stops.js";

/**
 * An HTTP consumer, like Channels' `AsyncHttpConsumer`: the request body is buffered, then
 * {@link handle} answers with {@link sendResponse}, or streams with {@link sendHeaders} and
 * {@link sendBody}. A body larger than `static maxBodySize` (a `content-length` announcing one
 * included) is answered with 413 before `handle` runs. An exception in `handle` propagates: the
 * server answers 500 if no response has started.
 *
 * @example
 * ```ts
 * class EchoConsumer extends HttpConsumer {
 *   override async handle(body: Buffer) {
 *     await this.sendResponse(200, body, [["content-type", "text/plain"]]);
 *   }
 * }
 * ```
 */
export abstract class HttpConsumer<S extends HttpScope = HttpScope> extends Consumer<S> {
  /** Largest request body accepted, in bytes; Django's default upload limit. */
  static maxBodySize = 2_621_440;

  #chunks: Uint8Array[] = [];
  #size = 0;

  /** Handles `http.request`: buffers the body, then calls {@link handle} with all of it. */
  async httpRequest(event: HttpRequestEvent): Promise<void> {
    const { maxBodySize } = this.constructor as typeof HttpConsumer;
    if (this.#chunks.length === 0 && declaredLength(this.scope.headers) > maxBodySize) {
      await this.#tooLarge(maxBodySize);
    }
    this.#size += event.body.byteLength;
    if (this.#size > maxBodySize) await this.#tooLarge(maxBodySize);
    this.#chunks.push(event.body);
    if (event.moreBody) return;
    const body = Buffer.concat(this.#chunks);
    this.#chunks = [];
    try {
      await this.handle(body);
    } finally {
      await this.disconnect();
    }
    throw RESPONSE_SENT;
  }

  /** Handles `http.disconnect`: the client left before the response; calls {@link disconnect}. */
  async httpDisconnect(_event: HttpDisconnectEvent): Promise<void> {
    await this.disconnect();
    throw CLIENT_DISCONNECTED;
  }

  /** Answers the request, given its whole body. */
  abstract handle(body: Buffer): void | Promise<void>;

  /** Called once the request is over, answered or abandoned. */
  disconnect(): void | Promise<void> {}

  /** Starts the response: status and headers (lower-case names). */
  async sendHeaders(status = 200, headers: Headers = []): Promise<void> {
    await this.sendEvent({ type: "http.response.start", status, headers });
  }

  /** Sends a chunk of the body; `moreBody: true` keeps the response open for more chunks. */
  async sendBody(body: string | Uint8Array, { moreBody = false } = {}): Promise<void> {
    await this.sendEvent({
      type: "http.response.body",
      body: typeof body === "string" ? Buffer.from(body) : body,
      moreBody,
    });
  }

  /** Sends a whole response at once. */
  async sendResponse(
    status: number,
    body: string | Uint8Array,
    headers: Headers = [],
  ): Promise<void> {
    await this.sendHeaders(status, headers);
    await this.sendBody(body);
  }

  async #tooLarge(maxBodySize: number): Promise<never> {
    this.#chunks = [];
    const error = new MessageTooLarge(
      `The request body exceeds ${maxBodySize} bytes; raise ${this.constructor.name}.maxBodySize to accept it.`,
    );
    await this.sendResponse(error.status, error.message, [
      ["content-type", "text/plain; charset=utf-8"],
    ]);
    await this.disconnect();
    throw new StopConsumer(error.message, { cause: error });
  }
}

/** The `content-length` the client announced, or 0 when it sent none. */
function declaredLength(headers: Headers): number {
  for (const [name, value] of headers) if (name === "content-length") return Number(value) || 0;
  return 0;
}

reserveConsumerMethods(HttpConsumer.prototype, ["handle"]);
