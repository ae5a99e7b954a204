import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
// The largest multiple of 36 that fits in a byte: bytes at or above it are rejected, so every
// character is equally likely (a plain `byte % 36` would favour the first 4 characters).
const LIMIT = 252;
const KEY_LENGTH = 32;
const KEY_PATTERN = /^[a-z0-9]{32}$/;
const randomBytesAsync = promisify(randomBytes);

/** A new session key: 32 characters of `[a-z0-9]` from the OS's cryptographic source. */
export async function newSessionKey(): Promise<string> {
  let key = "";
  while (key.length < KEY_LENGTH) {
    // 40 bytes almost always suffice (each byte is kept with probability 252/256).
    for (const byte of await randomBytesAsync(40)) {
      if (byte >= LIMIT) continue;
      key += ALPHABET[byte % ALPHABET.length];
      if (key.length === KEY_LENGTH) break;
    }
  }
  return key;
}

/** Whether `value` has the shape of a key {@link newSessionKey} makes; anything else is ignored unread. */
export function isSessionKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}
