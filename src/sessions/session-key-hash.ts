import { hash } from "node:crypto";

/**
 * The name a session is stored under: the SHA-256 of its key, as 64 hex characters. Stores keep
 * this, never the key, so a copy of the database or a Redis dump holds no cookie that would load
 * a session. The key has ~165 bits from a cryptographic source, so a plain fast hash is enough:
 * no salt to guess around, no secret whose rotation would end every session. The one place that
 * computes it, so stores and anything that indexes sessions (e.g. a registry of open sockets)
 * agree on the name.
 *
 * @example
 * ```ts
 * const name = sessionKeyHash(session.sessionKey!); // "9f86d081884c7d65..." (64 hex characters)
 * ```
 */
export function sessionKeyHash(key: string): string {
  return hash("sha256", key, "hex");
}
