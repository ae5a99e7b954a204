import { createHmac } from "node:crypto";
import type { User } from "../users/user.js";
import { constantTimeEqual } from "./constant-time-equal.js";

// Domain separation: the same secret also signs tokens, over messages of another shape.
const PURPOSE = "switchboard.auth.sessionAuthHash\0";

/**
 * Hashes already made, per secret key and password hash. Every authenticated connection checks
 * its session's hash, and a user's hash only changes with the password (a new key here), so the
 * HMAC runs once per user instead of once per connection (~2 µs in process, more over sockets).
 * Bounded, so many users or secrets cannot grow it: a full map starts again.
 */
const made = new Map<string, Map<string, string>>();
const MAX_SECRETS = 16;
const MAX_HASHES_PER_SECRET = 4096;

/**
 * Django's `get_session_auth_hash`: an HMAC-SHA256 of the user's password hash, keyed by the
 * secret. Stored in the session at login; when the password changes the hash no longer matches
 * and every other session of that user becomes anonymous.
 *
 * Synchronous on purpose: one HMAC of ~150 bytes costs ~2.5 µs, while `crypto.subtle.sign` costs
 * ~40 µs of latency and queues handshakes behind scrypt jobs on libuv's four-thread pool. A hash
 * once made is remembered (see `made`).
 *
 * @example
 * ```ts
 * await session.set(HASH_SESSION_KEY, sessionAuthHash(user, secretKey));
 * ```
 */
export function sessionAuthHash(user: Pick<User, "passwordHash">, secretKey: string): string {
  let bySecret = made.get(secretKey);
  if (bySecret === undefined) {
    if (made.size >= MAX_SECRETS) made.clear();
    bySecret = new Map();
    made.set(secretKey, bySecret);
  }
  const { passwordHash } = user;
  let hash = bySecret.get(passwordHash);
  if (hash === undefined) {
    hash = createHmac("sha256", secretKey).update(PURPOSE).update(passwordHash).digest("hex");
    if (bySecret.size >= MAX_HASHES_PER_SECRET) bySecret.clear();
    bySecret.set(passwordHash, hash);
  }
  return hash;
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
