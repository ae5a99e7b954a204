import type { Duplex } from "node:stream";
import { writeRawResponse } from "./failure.js";
import type { Logger } from "./logger.js";

/** Node's answers to a request it could not read, by error code; anything else is a 400. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
};

/**
 * The server's `clientError` listener: answers as Node does without one (408 for headers or a
 * request not received in time, 431, 413, else 400, when nothing was written yet) and closes the
 * socket; a timeout is logged, one line per socket, so slow-header clients show in the log.
 */
export function clientErrorListener(
  logger: Logger,
  headersTimeoutMs: number,
): (error: Error, socket: Duplex) => void {
  return function onClientError(error, socket) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    const status = STATUS_BY_CODE[code] ?? 400;
    if (status === 408) {
      const address = (socket as { remoteAddress?: string }).remoteAddress ?? "unknown address";
      logger.info(
        `Request from ${address} not received within headersTimeoutMs (${headersTimeoutMs}) or requestTimeoutMs: answered 408 and closed.`,
      );
    }
    socket.on("error", ignore);
    if (socket.writable && (socket as { bytesWritten?: number }).bytesWritten === 0) {
      writeRawResponse(socket, status);
    } else {
      socket.destroy();
    }
  };
}

function ignore(): void {}
