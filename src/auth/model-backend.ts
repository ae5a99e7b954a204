import type { User } from "../users/user.js";
import type { UserStore } from "../users/user-store.js";
import type { AuthBackend, Credentials } from "./auth-backend.js";
import { Passwords } from "./passwords.js";

/** Options for {@link ModelBackend}. */
export interface ModelBackendOptions {
  users: UserStore;
  /** Default: `new Passwords()` (scrypt, and Django's pbkdf2_sha256 for imported users). */
  passwords?: Passwords;
  /** Default `"model"`. */
  name?: string;
}

const ID = /^[1-9][0-9]{0,15}$/;

/**
 * Django's `ModelBackend`: a username and password checked against a {@link UserStore}.
 * Inactive users cannot log in. On success a hash made with older parameters or another hasher is
 * replaced, since this is the only moment the plain password is known.
 *
 * @example
 * ```ts
 * const backend = new ModelBackend({ users });
 * const user = await authenticate({ username: "ada", password: "s3cret" }, [backend]);
 * ```
 */
export class ModelBackend implements AuthBackend {
  readonly name: string;
  readonly #users: UserStore;
  readonly #passwords: Passwords;

  constructor(options: ModelBackendOptions) {
    this.name = options.name ?? "model";
    this.#users = options.users;
    this.#passwords = options.passwords ?? new Passwords();
  }

  async authenticate({ username, password }: Credentials): Promise<User | null> {
    if (typeof username !== "string" || typeof password !== "string") return null;
    const user = await this.#users.getByUsername(username);
    if (user === null || !this.#passwords.isUsable(user.passwordHash)) {
      // Hash anyway, so a response time does not tell an attacker which usernames exist.
      await this.#passwords.hash(password);
      return null;
    }
    if (!(await this.#passwords.verify(password, user.passwordHash)) || !user.isActive) return null;
    if (!this.#passwords.mustUpdate(user.passwordHash)) return user;
    const passwordHash = await this.#passwords.hash(password);
    return (await this.#users.update(user.id, { passwordHash })) ?? user;
  }

  async getUser(id: string): Promise<User | null> {
    if (!ID.test(id)) return null;
    const user = await this.#users.getById(Number(id));
    return user?.isActive ? user : null;
  }

  async recordLogin(user: User, when: Date): Promise<void> {
    await this.#users.setLastLogin(user.id, when);
  }
}
