import { createHmac } from "node:crypto";
import type { User } from "../users/user.js";
import { constantTimeEqual } from "./constant-time-equal.js";

// Domain separation: the same secret also signs tokens, over messages of another shape.
const PURPOSE = "switchboard.auth.sessionAuthHash\0";

// Bounds what rememberSessionAuthHashes keeps, so many users cannot grow it: a full map starts again.
const MAX_REMEMBERED = 4096;

/** What the session auth hash is made of: the password hash and the user's session version. */
export type AuthHashFields = Pick<User, "passwordHash"> & { sessionVersion?: number };

/**
 * Django's `get_session_auth_hash`: an HMAC-SHA256 of the user's password hash, keyed by the
 * secret. Stored in the session at login; when the password changes the hash no longer matches
 * and every other session of that user becomes anonymous. A `sessionVersion` above 0 (bumped by
 * `logoutEverywhere`) is mixed in, so bumping it does the same without a password change; at 0
 * the hash is Django's, so sessions made before the version existed stay valid.
 *
 * @example
 * ```ts
 * await session.set(HASH_SESSION_KEY, sessionAuthHash(user, secretKey));
 * ```
 */
export function sessionAuthHash(user: AuthHashFields, secretKey: string): string {
  const hmac = createHmac("sha256", secretKey).update(PURPOSE).update(user.passwordHash);
  const version = user.sessionVersion ?? 0;
  if (version > 0) hmac.update(`\0${version}`);
  return hmac.digest("hex");
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
export function rememberSessionAuthHashes(secretKey: string): (user: AuthHashFields) => string {
  const made = new Map<string, string>();
  return function rememberedSessionAuthHash(user) {
    const fields = `${user.passwordHash}\0${user.sessionVersion ?? 0}`;
    let hash = made.get(fields);
    if (hash === undefined) {
      hash = sessionAuthHash(user, secretKey);
      if (made.size >= MAX_REMEMBERED) made.clear();
      made.set(fields, hash);
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
  user: AuthHashFields,
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
