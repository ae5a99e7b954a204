import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { BackendUnavailable, SwitchboardError } from "../errors.js";

/**
 * The HTTP status an application error maps to: a `SwitchboardError`'s own `status`
 * (`DenyConnection` 403, `RouteNotFound` 404), anything else 500.
 */
export function statusFor(error: unknown): number {
  return error instanceof SwitchboardError ? error.status : 500;
}

/** The WebSocket close code an error after accept maps to: the error's `closeCode`, else 1011. */
export function closeCodeFor(error: unknown): number {
  return error instanceof SwitchboardError ? error.closeCode : 1011;
}

/**
 * Whether a failure is the server's fault and deserves an error log with its stack. An
 * unavailable backing service is not logged per request: its client logs the outage once.
 */
export function isServerFault(error: unknown): boolean {
  return statusFor(error) >= 500 && !(error instanceof BackendUnavailable);
}

/**
 * Answers a request on a socket that was never handed to `http.ServerResponse` (an upgrade
 * request that will not be upgraded) with a short plain-text response, then closes it.
 */
export function writeRawResponse(socket: Duplex, status: number): void {
  if (socket.destroyed) return;
  const message = STATUS_CODES[status] ?? "Error";
  socket.end(
    `HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
    () => socket.destroy(),
  );
}
