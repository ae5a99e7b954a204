import { ImproperlyConfigured } from "../errors.js";
import type { Session } from "../sessions/session.js";
import type { SessionScope } from "../sessions/session-middleware.js";

/**
 * Session key of the logged-in user's id (a string), as in Django.
 *
 * @example
 * ```ts
 * const id = await scope.session.get<string>(SESSION_KEY); // "7", or undefined
 * ```
 */
export const SESSION_KEY = "_auth_user_id";
/**
 * Session key of the name of the backend that authenticated the user, as in Django.
 *
 * @example
 * ```ts
 * await scope.session.get<string>(BACKEND_SESSION_KEY); // "model"
 * ```
 */
export const BACKEND_SESSION_KEY = "_auth_user_backend";
/**
 * Session key of `sessionAuthHash(user, secretKey)` at login, as in Django.
 *
 * @example
 * ```ts
 * await scope.session.get<string>(HASH_SESSION_KEY); // 64 hex characters
 * ```
 */
export const HASH_SESSION_KEY = "_auth_user_hash";

/**
 * The scope's session; throws, naming `caller`, when no session middleware ran.
 *
 * @example
 * ```ts
 * const session = sessionOf(scope, "logout()");
 * ```
 */
export function sessionOf(scope: Partial<SessionScope>, caller: string): Session {
  const session = scope.session;
  if (session === undefined || session === null || typeof session.get !== "function") {
    throw new ImproperlyConfigured(
      `${caller} needs scope.session: wrap the application in authMiddlewareStack(app, { backends, secretKey }), ` +
        "which runs cookieMiddleware, then sessionMiddleware, then authMiddleware.",
    );
  }
  return session;
}
