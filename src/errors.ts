/**
 * Every error class Switchboard throws, in one place. Each has a stable `code` to branch on and,
 * where the error reaches a socket, the WebSocket close code or HTTP status it maps to.
 *
 * @example
 * ```ts
 * import { DenyConnection } from "switchboard";
 *
 * try { await consumer.connect(); } catch (error) {
 *   if (error instanceof DenyConnection) console.log(error.code); // "DENY_CONNECTION"
 * }
 * ```
 * @module
 */

/** Options every Switchboard error accepts. */
export interface SwitchboardErrorOptions {
  cause?: unknown;
}

/** Base class: catch this to catch anything Switchboard throws on purpose. */
export class SwitchboardError extends Error {
  /** Stable machine-readable identifier, listed in the docs. */
  readonly code: string = "SWITCHBOARD_ERROR";
  /** WebSocket close code to send when this error ends a connection after accept. */
  readonly closeCode: number = 1011;
  /** HTTP status to answer when this error ends a request or refuses a handshake. */
  readonly status: number = 500;

  constructor(message: string, options?: SwitchboardErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The configuration cannot work: a missing option, a wrong combination. Fix the code, not the input. */
export class ImproperlyConfigured extends SwitchboardError {
  override readonly code = "IMPROPERLY_CONFIGURED";
}

/** Thrown by a consumer to refuse the connection: HTTP 403 before accept, close 1008 after. */
export class DenyConnection extends SwitchboardError {
  override readonly code = "DENY_CONNECTION";
  override readonly closeCode = 1008;
  override readonly status = 403;
}

/**
 * Thrown from a WebSocket consumer's `connect()` to accept the connection, as `DenyConnection`
 * refuses it (Channels' `AcceptConnection`): handy deep in a check that decides. Accepts with no
 * subprotocol; thrown once the socket is accepted or closed, it fails the consumer with
 * `ProtocolError`.
 *
 * @example
 * ```ts
 * function checkInvite(scope: WebsocketScope): never {
 *   if (new URLSearchParams(scope.queryString).has("invite")) throw new AcceptConnection("invited");
 *   throw new DenyConnection("an invitation is needed");
 * }
 * class Party extends WebsocketConsumer {
 *   override connect(): void {
 *     checkInvite(this.scope);
 *   }
 * }
 * ```
 */
export class AcceptConnection extends SwitchboardError {
  override readonly code = "ACCEPT_CONNECTION";
}

/** Thrown inside a consumer to stop it cleanly; the connection is not treated as failed. */
export class StopConsumer extends SwitchboardError {
  override readonly code = "STOP_CONSUMER";
  override readonly closeCode = 1000;
}

/** No route matched the path: HTTP 404, or a refused WebSocket handshake (403). */
export class RouteNotFound extends SwitchboardError {
  override readonly code = "ROUTE_NOT_FOUND";
  override readonly status = 404;
}

/** A scope of a type no router entry handles. */
export class UnknownScopeType extends SwitchboardError {
  override readonly code = "UNKNOWN_SCOPE_TYPE";
}

/** An event that makes no sense in the connection's current state, e.g. `send` before `accept`. */
export class ProtocolError extends SwitchboardError {
  override readonly code = "PROTOCOL_ERROR";
  override readonly closeCode = 1002;
}

/** Options of {@link InvalidFrame}. */
export interface InvalidFrameOptions extends SwitchboardErrorOptions {
  /** The close frame's reason, telling the client what was wrong (at most 123 bytes of UTF-8). */
  reason?: string;
}

/** A client frame that does not carry what the consumer expects, e.g. malformed JSON: close 1007. */
export class InvalidFrame extends SwitchboardError {
  override readonly code = "INVALID_FRAME";
  override readonly closeCode = 1007;
  override readonly status = 400;
  /** The reason the socket is closed with, if any: the client sees it, so no server detail. */
  readonly reason: string | undefined;

  constructor(message: string, options?: InvalidFrameOptions) {
    super(message, options);
    this.reason = options?.reason;
  }
}

/** A message or body larger than the configured limit: close 1009 or HTTP 413. */
export class MessageTooLarge extends SwitchboardError {
  override readonly code = "MESSAGE_TOO_LARGE";
  override readonly closeCode = 1009;
  override readonly status = 413;
}

/** A channel's queue is at capacity; the message was not queued. */
export class ChannelFull extends SwitchboardError {
  override readonly code = "CHANNEL_FULL";
  override readonly closeCode = 1013;
  override readonly status = 503;
}

/** A channel or group name that a channel layer does not accept. */
export class InvalidChannelName extends SwitchboardError {
  override readonly code = "INVALID_CHANNEL_NAME";
}

/** A backing service (Redis, PostgreSQL, SQLite) failed or cannot be reached. */
export class BackendUnavailable extends SwitchboardError {
  override readonly code = "BACKEND_UNAVAILABLE";
  override readonly closeCode = 1011;
  override readonly status = 503;
}

/** The session was deleted by another request while this one was using it. */
export class SessionInterrupted extends SwitchboardError {
  override readonly code = "SESSION_INTERRUPTED";
  override readonly status = 400;
}

/** Input that looks like tampering: a bad signature, a forged token. */
export class SuspiciousOperation extends SwitchboardError {
  override readonly code = "SUSPICIOUS_OPERATION";
  override readonly closeCode = 1008;
  override readonly status = 400;
}

/** A test communicator waited longer than its timeout for an event. */
export class CommunicatorTimeout extends SwitchboardError {
  override readonly code = "COMMUNICATOR_TIMEOUT";
}

/** A user with this username already exists; usernames are unique and case-sensitive. */
export class UsernameTaken extends SwitchboardError {
  override readonly code = "USERNAME_TAKEN";
  override readonly status = 409;
}

/** A channel-layer message that is not a plain JSON object with a string `type`. */
export class InvalidChannelMessage extends SwitchboardError {
  override readonly code = "INVALID_CHANNEL_MESSAGE";
}

/** A consumer got a message whose `type` names no handler method, e.g. `chat.message` → `chatMessage`. */
export class NoHandlerForMessage extends SwitchboardError {
  override readonly code = "NO_HANDLER_FOR_MESSAGE";
}

/**
 * A password the rules refuse (too short, too common, like the username, all digits): `problems`
 * holds one message per broken rule, for a form or a command line to show.
 */
export class PasswordRejected extends SwitchboardError {
  override readonly code = "PASSWORD_REJECTED";
  override readonly status = 400;
  /** One sentence per rule the password breaks, in the order of the rules. */
  readonly problems: readonly string[];

  constructor(
    message: string,
    options: SwitchboardErrorOptions & { problems?: readonly string[] } = {},
  ) {
    super(message, options);
    this.problems = options.problems ?? [message];
  }
}
