import { InvalidFrame } from "../errors.js";
import type { WebsocketScope } from "../types/asgi.js";
import { reserveConsumerMethods } from "./handler-name.js";
import { nestsDeeperThan } from "./json-depth.js";
import { WebsocketConsumer } from "./websocket-consumer.js";
import type { WebsocketFrame } from "./websocket-consumer.js";

/**
 * A WebSocket consumer that speaks JSON text frames, like Channels' `AsyncJsonWebsocketConsumer`.
 * Override {@link receiveJson}; answer with {@link sendJson}. A binary frame, malformed JSON or
 * JSON nested deeper than {@link maxJsonDepth} closes the socket with 1007 (`InvalidFrame`); it
 * never crashes the consumer.
 *
 * @example
 * ```ts
 * class ChatConsumer extends JsonWebsocketConsumer {
 *   override async receiveJson(content: unknown) {
 *     await this.sendJson({ echo: content });
 *   }
 * }
 * ```
 */
export class JsonWebsocketConsumer<
  S extends WebsocketScope = WebsocketScope,
> extends WebsocketConsumer<S> {
  /**
   * How many levels of arrays and objects a client's frame may nest (`[]` is one level); a deeper
   * frame closes the socket with 1007 before it is decoded. Deep JSON parses, but a reviver or
   * anything recursing over it (`JSON.stringify` in {@link sendJson}) overflows the stack.
   * `Infinity` turns the check off.
   */
  static maxJsonDepth = 128;

  override async receive(frame: WebsocketFrame): Promise<void> {
    if (frame.text === undefined) {
      throw new InvalidFrame(
        `${this.constructor.name} expects JSON in text frames, got a binary frame.`,
      );
    }
    const { maxJsonDepth } = this.constructor as typeof JsonWebsocketConsumer;
    if (nestsDeeperThan(frame.text, maxJsonDepth)) {
      const reason = `JSON nested deeper than ${maxJsonDepth} levels`;
      throw new InvalidFrame(`${this.constructor.name} got ${reason} (maxJsonDepth).`, { reason });
    }
    let content: unknown;
    try {
      content = this.decodeJson(frame.text);
    } catch (cause) {
      throw new InvalidFrame(`${this.constructor.name} got a text frame that is not valid JSON.`, {
        cause,
      });
    }
    await this.receiveJson(content);
  }

  /** Called with each decoded JSON frame from the client. */
  receiveJson(_content: unknown): void | Promise<void> {}

  /** Sends `content` as a JSON text frame, then closes when `close` is `true` or a close code. */
  async sendJson(content: unknown, close: boolean | number = false): Promise<void> {
    await this.send({ text: this.encodeJson(content) }, close);
  }

  /**
   * Answers a client message with `payload`, adding the message's `ref` when it has one: a
   * `request()` of `switchboard/client` resolves with the frame carrying its `ref`. A message
   * sent without one (a plain `send()`, another client) gets `payload` as it is.
   *
   * @example
   * ```ts
   * override async receiveJson(content: unknown) {
   *   await this.reply(content, { type: "ack" });
   * }
   * ```
   */
  async reply(request: unknown, payload: Record<string, unknown>): Promise<void> {
    const ref = (request as { ref?: unknown } | null)?.ref;
    await this.sendJson(typeof ref === "string" ? { ...payload, ref } : payload);
  }

  /** Parses a text frame; override for another JSON reviver. */
  protected decodeJson(text: string): unknown {
    return JSON.parse(text);
  }

  /** Serialises outgoing content; override for another JSON replacer. */
  protected encodeJson(content: unknown): string {
    return JSON.stringify(content);
  }
}

reserveConsumerMethods(JsonWebsocketConsumer.prototype);
