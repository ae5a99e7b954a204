import { validateHeaderName, validateHeaderValue } from "node:http";
import type { IncomingMessage } from "node:http";
import { ProtocolError } from "../errors.js";
import type { WebsocketAcceptEvent } from "../types/asgi.js";

const KEY = /^[+/0-9A-Za-z]{22}==$/;

/**
 * Why an upgrade request cannot become a WebSocket (checked before the application runs, so it
 * never sees a handshake `ws` would reject), or `null` when it can.
 */
export function invalidUpgrade(req: IncomingMessage): { status: number; message: string } | null {
  if (req.method !== "GET") return { status: 405, message: "WebSocket handshakes must use GET" };
  if (req.headers.upgrade?.toLowerCase() !== "websocket") {
    return { status: 400, message: "Upgrade header is not websocket" };
  }
  if (!KEY.test(req.headers["sec-websocket-key"] ?? "")) {
    return { status: 400, message: "Missing or invalid Sec-WebSocket-Key header" };
  }
  const version = req.headers["sec-websocket-version"];
  if (version !== "13" && version !== "8") {
    return { status: 400, message: "Unsupported Sec-WebSocket-Version (use 13)" };
  }
  return null;
}

/**
 * Throws `ProtocolError` for an accept the client could not take: a subprotocol it did not offer,
 * or a header that is not a valid HTTP header.
 */
export function checkAccept(event: WebsocketAcceptEvent, offered: readonly string[]): void {
  const subprotocol = event.subprotocol ?? null;
  if (subprotocol !== null && !offered.includes(subprotocol)) {
    throw new ProtocolError(
      `websocket.accept chose subprotocol "${subprotocol}", which the client did not offer (offered: ${offered.join(", ") || "none"}).`,
    );
  }
  for (const [name, value] of event.headers ?? []) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (cause) {
      throw new ProtocolError(
        `websocket.accept has an invalid header "${name}"; use a token name and a value without CR/LF.`,
        { cause },
      );
    }
  }
}
