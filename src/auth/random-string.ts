import { randomBytes } from "node:crypto";

const ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/**
 * `length` characters of `alphabet` from the system CSPRNG, without modulo bias: bytes past the
 * largest multiple of the alphabet size are dropped and redrawn.
 *
 * @example
 * ```ts
 * const salt = randomString(22); // 22 alphanumerics, ~131 bits, like Django's salts
 * ```
 */
export function randomString(length: number, alphabet: string = ALPHANUMERIC): string {
  const limit = 256 - (256 % alphabet.length);
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}
