import { createHmac } from "node:crypto";
import type { User } from "../users/user.js";
import { constantTimeEqual } from "./constant-time-equal.js";

// Domain separation: the same secret also signs tokens, over messages of another shape.
const PURPOSE = "switchboard.auth.sessionAuthHash\0";

/**
 * Django's `get_session_auth_hash`: an HMAC-SHA256 of the user's password hash, keyed by the
 * secret. Stored in the session at login; when the password changes the hash no longer matches
 * and every other session of that user becomes anonymous.
 *
 * Synchronous on purpose: one HMAC of ~150 bytes costs ~2.5 µs, while `crypto.subtle.sign` costs
 * ~40 µs of latency and queues handshakes behind scrypt jobs on libuv's four-thread pool.
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
  if (typeof stored !== "string") return false;
  return constantTimeEqual(Buffer.from(stored), Buffer.from(sessionAuthHash(user, secretKey)));
}
