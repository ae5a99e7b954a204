/**
 * The errors of `switchboard/client`. Each sets `name` itself: a minifier renames classes, and
 * `error.name` is what a page logs and tests `instanceof` against across bundles.
 */

/** Base class: catch it to handle any client error. */
export class ClientError extends Error {
  override name = "ClientError";
}

/** An option cannot work, e.g. a relative URL where the page has no `location` (Node). */
export class ClientConfigurationError extends ClientError {
  override name = "ClientConfigurationError";
}

/** `send()` or `request()` after the socket closed for good, or a sent request's socket dropped. */
export class SocketClosed extends ClientError {
  override name = "SocketClosed";
  constructor(
    message: string,
    /** The close code that ended the socket (1006 when the connection was lost). */
    readonly code: number,
  ) {
    super(message);
  }
}

/** More messages waiting for a connection than `maxQueue`: the server has been away too long. */
export class QueueFull extends ClientError {
  override name = "QueueFull";
}

/** No reply with the request's `ref` came within `timeoutMs`. */
export class RequestTimeout extends ClientError {
  override name = "RequestTimeout";
}

/** A frame from the server is not JSON; the client keeps the socket open and reports it. */
export class InvalidMessage extends ClientError {
  override name = "InvalidMessage";
}

/** An HTTP `POST` of the client (ticket, hand-off) failed; `status` is 0 when none came back. */
export class PostFailed extends ClientError {
  override name = "PostFailed";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The ticket endpoint refused (401/403): the user is not logged in; reconnecting cannot help. */
export class TicketRefused extends PostFailed {
  override name = "TicketRefused";
}

/** The hand-off endpoint did not set the session cookie (a used, expired or unknown token). */
export class HandoffFailed extends PostFailed {
  override name = "HandoffFailed";
}
