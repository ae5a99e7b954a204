import { timingSafeEqual } from "node:crypto";

/**
 * Compares two secrets without leaking, through timing, how many leading bytes match. Lengths
 * are not secret (hash sizes are public), so a length mismatch returns `false` at once.
 *
 * @example
 * ```ts
 * constantTimeEqual(Buffer.from(storedMac, "base64url"), expectedMac);
 * ```
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
