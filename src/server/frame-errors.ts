import type { WebSocket } from "ws";

/**
 * The close code ws sent after a bad frame, by socket. ws then stops reading, cannot see the
 * client's close frame and reports 1006; the application should see the code actually sent.
 */
const frameErrorCodes = new WeakMap<WebSocket, number>();

/** The `error` listener of every accepted socket: remembers the close code a bad frame caused. */
export function noteFrameError(this: WebSocket, error: Error & { code?: string }): void {
  if (error.code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") frameErrorCodes.set(this, 1009);
  else if (error.code === "WS_ERR_INVALID_UTF8") frameErrorCodes.set(this, 1007);
  else if (error.code?.startsWith("WS_ERR_")) frameErrorCodes.set(this, 1002);
}

/** The close code the server sent because of a bad frame, if that is how the socket ended. */
export function closeCodeSent(ws: WebSocket): number | undefined {
  return frameErrorCodes.get(ws);
}
