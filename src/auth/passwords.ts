import { ImproperlyConfigured } from "../errors.js";
import { Pbkdf2Sha256Hasher } from "./pbkdf2-sha256-hasher.js";
import type { PasswordHasher } from "./password-hasher.js";
import { randomString } from "./random-string.js";
import { ScryptHasher } from "./scrypt-hasher.js";

/** Options for {@link Passwords}. */
export interface PasswordsOptions {
  /**
   * Accepted hashers; the first makes new hashes. Default: `ScryptHasher`, then
   * `Pbkdf2Sha256Hasher` so hashes imported from Django verify (and are upgraded on login).
   */
  hashers?: readonly PasswordHasher[];
}

/** Marks a password that can never match, as Django's `set_unusable_password` does. */
const UNUSABLE_PREFIX = "!";

/**
 * Hashes and checks passwords with a list of hashers: picks the hasher of a stored hash by its
 * `algorithm$` prefix, and says when a hash should be redone with the preferred hasher.
 *
 * @example
 * ```ts
 * const passwords = new Passwords();
 * const encoded = await passwords.hash("s3cret");
 * if (await passwords.verify("s3cret", encoded) && passwords.mustUpdate(encoded)) {
 *   await users.update(user.id, { passwordHash: await passwords.hash("s3cret") });
 * }
 * ```
 */
export class Passwords {
  readonly #preferred: PasswordHasher;
  readonly #byAlgorithm: ReadonlyMap<string, PasswordHasher>;

  constructor(options: PasswordsOptions = {}) {
    const hashers = options.hashers ?? [new ScryptHasher(), new Pbkdf2Sha256Hasher()];
    const preferred = hashers[0];
    if (preferred === undefined) {
      throw new ImproperlyConfigured("Passwords needs at least one hasher in `hashers`.");
    }
    this.#preferred = preferred;
    this.#byAlgorithm = new Map(hashers.map((hasher) => [hasher.algorithm, hasher]));
  }

  /** Hashes `password` with the preferred (first) hasher. */
  hash(password: string): Promise<string> {
    return this.#preferred.encode(password);
  }

  /**
   * `true` when `password` matches `encoded`. Unusable (`!`), malformed and unknown-algorithm
   * hashes never match.
   */
  async verify(password: string, encoded: string): Promise<boolean> {
    const hasher = this.#hasherFor(encoded);
    return hasher !== undefined && hasher.verify(password, encoded);
  }

  /** `true` when a usable hash was made by another hasher or with other parameters. */
  mustUpdate(encoded: string): boolean {
    if (!this.isUsable(encoded)) return false;
    const hasher = this.#hasherFor(encoded);
    return hasher !== this.#preferred || hasher.mustUpdate(encoded);
  }

  /** A value no password matches, unique so it never reveals two users share "no password". */
  unusable(): string {
    return UNUSABLE_PREFIX + randomString(40);
  }

  /** `false` for hashes made by {@link Passwords.unusable}. */
  isUsable(encoded: string): boolean {
    return !encoded.startsWith(UNUSABLE_PREFIX);
  }

  #hasherFor(encoded: string): PasswordHasher | undefined {
    if (!this.isUsable(encoded)) return undefined;
    const end = encoded.indexOf("$");
    return end === -1 ? undefined : this.#byAlgorithm.get(encoded.slice(0, end));
  }
}
