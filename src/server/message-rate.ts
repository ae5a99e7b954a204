import { escapeLogText } from "../security/escape-log-text.js";
import type { WebsocketScope } from "../types/asgi.js";
import type { Logger } from "./logger.js";
import type { OpenWebsocket } from "./open-websocket.js";
import { MESSAGE_RATE_CLOSE_CODE } from "./serve-options.js";
import type { ResolvedServeOptions } from "./serve-options.js";
import { TokenBucket } from "./token-bucket.js";

/**
 * An open WebSocket's message allowance under `maxMessagesPerSecond` and `messageBurst`. The first
 * message over it is logged and closes the socket with {@link MESSAGE_RATE_CLOSE_CODE}; neither it
 * nor anything the client sends after is delivered.
 *
 * @example
 * ```ts
 * const rate = new MessageRate(options.messageBurst, performance.now());
 * if (rate.admits(options, logger, scope, open)) queue.push(event);
 * ```
 */
export class MessageRate extends TokenBucket {
  /** Went over the rate: closing, and nothing more it sends is delivered. */
  #over = false;

  /** Whether a message arriving now is delivered; the first one over the rate closes `open`. */
  admits(
    options: ResolvedServeOptions,
    logger: Logger,
    scope: WebsocketScope,
    open: OpenWebsocket | null,
  ): boolean {
    if (this.#over) return false;
    const { maxMessagesPerSecond, messageBurst } = options;
    if (this.take(performance.now(), maxMessagesPerSecond, messageBurst)) return true;
    this.#over = true;
    logger.info(
      `WebSocket ${escapeLogText(scope.path)} from ${scope.client?.[0] ?? "unknown address"} closed with ${MESSAGE_RATE_CLOSE_CODE}: over maxMessagesPerSecond (${maxMessagesPerSecond}, burst ${messageBurst}).`,
    );
    open?.close(MESSAGE_RATE_CLOSE_CODE, "message rate exceeded");
    return false;
  }
}
