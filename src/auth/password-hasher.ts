import { ImproperlyConfigured } from "../errors.js";

/**
 * One password hashing algorithm. Encoded hashes read `algorithm$params$salt$hash`, so the
 * algorithm of a stored hash is its prefix and {@link Passwords} can pick the hasher for it.
 * Implementations hash on libuv's thread pool (async `node:crypto`), never on the event loop.
 *
 * @example
 * ```ts
 * const hasher: PasswordHasher = new ScryptHasher();
 * const encoded = await hasher.encode("s3cret");
 * await hasher.verify("s3cret", encoded); // true
 * ```
 */
export interface PasswordHasher {
  /** The prefix before the first `$`, e.g. `scrypt` or `pbkdf2_sha256`. */
  readonly algorithm: string;
  /** Hashes `password` with a fresh random salt, or with `salt` (tests, vectors). */
  encode(password: string, salt?: string): Promise<string>;
  /** `true` when `password` matches `encoded`; `false` for a malformed or foreign hash. */
  verify(password: string, encoded: string): Promise<boolean>;
  /** `true` when `encoded` was made with other parameters than this hasher's current ones. */
  mustUpdate(encoded: string): boolean;
}

/**
 * Salts end up between `$` separators, so they must not contain one.
 *
 * @example
 * ```ts
 * checkSalt("seasalt"); // passes
 * ```
 */
export function checkSalt(salt: string): void {
  if (salt === "" || salt.includes("$")) {
    throw new ImproperlyConfigured(
      `A password salt must be non-empty and contain no "$"; got "${salt}".`,
    );
  }
}
