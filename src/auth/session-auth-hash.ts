import { createHmac } from "node:crypto";
import type { User } from "../users/user.js";
import { constantTimeEqual } from "./constant-time-equal.js";

// Domain separation: the same secret also signs tokens, over messages of another shape.
const PURPOSE = "switchboard.auth.sessionAuthHash\0";

// Bounds what rememberSessionAuthHashes keeps, so many users cannot grow it: a full map starts again.
const MAX_REMEMBERED = 4096;

/**
 * Django's `get_session_auth_hash`: an HMAC-SHA256 of the user's password hash, keyed by the
 * secret. Stored in the session at login; when the password changes the hash no longer matches
 * and every other session of that user becomes anonymous.
 *
 * @example
 * ```ts
 * await session.set(HASH_SESSION_KEY, sessionAuthHash(user, secretKey));
 * ```
 */
export function sessionAuthHash(user: Pick<User, "passwordHash">, secretKey: string): string {
  return createHmac("sha256", secretKey).update(PURPOSE).update(user.passwordHash).digest("hex");
}

/**
 * {@link sessionAuthHash} for one secret key, remembering the hashes it made: every
 * authenticated connection checks its session's hash, and a user's hash only changes with the
 * password. The resolved auth configuration owns one per secret key.
 *
 * @example
 * ```ts
 * const hashFor = rememberSessionAuthHashes(secretKey);
 * hashFor(user) === sessionAuthHash(user, secretKey); // true
 * ```
 */
export function rememberSessionAuthHashes(
  secretKey: string,
): (user: Pick<User, "passwordHash">) => string {
  const made = new Map<string, string>();
  return function rememberedSessionAuthHash(user) {
    let hash = made.get(user.passwordHash);
    if (hash === undefined) {
      hash = sessionAuthHash(user, secretKey);
      if (made.size >= MAX_REMEMBERED) made.clear();
      made.set(user.passwordHash, hash);
    }
    return hash;
  };
}

/**
 * Compares a hash read from a session with the user's current one, in constant time.
 *
 * @example
 * ```ts
 * if (!sessionAuthHashMatches(await session.get(HASH_SESSION_KEY), user, secretKey)) await session.flush();
 * ```
 */
export function sessionAuthHashMatches(
  stored: unknown,
  user: Pick<User, "passwordHash">,
  secretKey: string,
): boolean {
  return sessionAuthHashIs(stored, sessionAuthHash(user, secretKey));
}

/**
 * Whether `stored`, a value read from a session, is `hash`, compared in constant time.
 *
 * @example
 * ```ts
 * sessionAuthHashIs(await session.get(HASH_SESSION_KEY), config.sessionAuthHash(user));
 * ```
 */
export function sessionAuthHashIs(stored: unknown, hash: string): boolean {
  return typeof stored === "string" && constantTimeEqual(Buffer.from(stored), Buffer.from(hash));
}
