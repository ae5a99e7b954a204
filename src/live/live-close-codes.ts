/**
 * The close codes a server sends when a socket's session stops being valid (see
 * `docs/live-sessions.md`). A client can tell them from network failures and decide whether to
 * reconnect (4003, 4004) or send the user to the login page (4001, 4002).
 *
 * @example
 * ```ts
 * ws.onclose = ({ code, reason }) => {
 *   if (code === LIVE_SESSION_CLOSE_CODES.sessionEnded) showLogin(reason);
 * };
 * ```
 */
export const LIVE_SESSION_CLOSE_CODES = Object.freeze({
  /** The session was flushed: a logout here or elsewhere, a deleted session. */
  sessionEnded: 4001,
  /** The user's password changed, or the user was deactivated or deleted. */
  credentialsChanged: 4002,
  /** The session reached its expiry in the store. */
  sessionExpired: 4003,
  /** The user already had `maxSocketsPerUser` sockets open on this process. */
  tooManySockets: 4004,
} as const);
