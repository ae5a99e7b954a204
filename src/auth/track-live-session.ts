import { LIVE_SOCKET, type LiveCheck, type LiveScope } from "../live/live-socket.js";
import type { Session } from "../sessions/session.js";
import { sessionKeyHash } from "../sessions/session-key-hash.js";
import type { User } from "../users/user.js";
import type { AuthConfig } from "./auth-config.js";
import { sessionAuthHashIs } from "./session-auth-hash.js";
import { HASH_SESSION_KEY } from "./session-keys.js";

/**
 * Registers a WebSocket that `session` authenticated as `user` with the server's live sessions,
 * so it is closed when the session ends or expires or the user's credentials change. Does nothing
 * outside a server (communicators) or for a user an outer middleware put on the scope.
 *
 * @example
 * ```ts
 * if (user.isAuthenticated) trackLiveSession(scope, session, user, config);
 * ```
 */
export function trackLiveSession(
  scope: LiveScope,
  session: Session,
  user: User,
  config: AuthConfig,
): void {
  const socket = scope[LIVE_SOCKET];
  const key = session.sessionKey;
  if (socket === undefined || key === null) return;
  const known: KnownHash = { authHash: config.sessionAuthHash(user) };
  socket.register({
    sessionHash: sessionKeyHash(key),
    userId: String(user.id),
    expiresAt: session.storedExpiresAt,
    revalidate: () => stillLoggedIn(session, user, known, config),
  });
}

/** The session auth hash a socket's session is known to hold. */
interface KnownHash {
  authHash: string;
}

/** Asks the stores whether the session still exists and its user is the one who logged in. */
async function stillLoggedIn(
  session: Session,
  user: User,
  known: KnownHash,
  config: AuthConfig,
): Promise<LiveCheck> {
  const expiresAt = await session.storedExpiry();
  if (expiresAt === null) return { end: "session" };
  const backend = user.backend === undefined ? undefined : config.backends.get(user.backend);
  const current = await backend?.getUser(String(user.id));
  if (current == null) return { end: "credentials" };
  const authHash = config.sessionAuthHash(current);
  if (!sessionAuthHashIs(known.authHash, authHash)) {
    // The password changed: only a session setPassword kept (keepCurrentSession) holds the new
    // hash. Asked once; afterwards the new hash is the known one.
    if (!sessionAuthHashIs(await session.storedValue(HASH_SESSION_KEY), authHash)) {
      return { end: "credentials" };
    }
    known.authHash = authHash;
  }
  return { expiresAt };
}
