import { pbkdf2 } from "node:crypto";
import { ImproperlyConfigured } from "../errors.js";
import { constantTimeEqual } from "./constant-time-equal.js";
import { checkSalt, type PasswordHasher } from "./password-hasher.js";
import { randomString } from "./random-string.js";

/** Options for {@link Pbkdf2Sha256Hasher}. */
export interface Pbkdf2Sha256Options {
  /** PBKDF2 rounds for new hashes. Default 1,000,000, Django 5.2's. */
  iterations?: number;
}

const ENCODED = /^pbkdf2_sha256\$(\d+)\$([^$]+)\$([A-Za-z0-9+/]+={0,2})$/;
/** Guards against a corrupted row making one verification run for minutes. */
const MAX_ITERATIONS = 100_000_000;
const KEY_LENGTH = 32;

function derive(password: string, salt: string, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, KEY_LENGTH, "sha256", (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/**
 * Django's `PBKDF2PasswordHasher`, byte for byte: `pbkdf2_sha256$<iterations>$<salt>$<base64>`.
 * Use it to verify users imported from a Django database; put {@link ScryptHasher} first in
 * `Passwords` and those users are rehashed to scrypt on their next login.
 *
 * @example
 * ```ts
 * const django = new Pbkdf2Sha256Hasher();
 * await django.verify("hunter2", "pbkdf2_sha256$260000$wA1uXeBRzqVXbx5uBAZy9n$r1rX...="); // true
 * ```
 */
export class Pbkdf2Sha256Hasher implements PasswordHasher {
  readonly algorithm = "pbkdf2_sha256";
  readonly #iterations: number;

  constructor(options: Pbkdf2Sha256Options = {}) {
    this.#iterations = options.iterations ?? 1_000_000;
    if (
      !Number.isSafeInteger(this.#iterations) ||
      this.#iterations < 1 ||
      this.#iterations > MAX_ITERATIONS
    ) {
      throw new ImproperlyConfigured(
        `Pbkdf2Sha256Hasher iterations must be an integer from 1 to ${MAX_ITERATIONS}; got ${options.iterations}.`,
      );
    }
  }

  async encode(password: string, salt: string = randomString(22)): Promise<string> {
    checkSalt(salt);
    const key = await derive(password, salt, this.#iterations);
    return `pbkdf2_sha256$${this.#iterations}$${salt}$${key.toString("base64")}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const match = ENCODED.exec(encoded);
    if (match === null) return false;
    const iterations = Number(match[1]);
    const salt = match[2] ?? "";
    const expected = Buffer.from(match[3] ?? "", "base64");
    if (iterations < 1 || iterations > MAX_ITERATIONS) return false;
    return constantTimeEqual(await derive(password, salt, iterations), expected);
  }

  mustUpdate(encoded: string): boolean {
    const match = ENCODED.exec(encoded);
    return match === null || Number(match[1]) !== this.#iterations;
  }
}
