import type { User } from "../users/user.js";

/**
 * What a client offers to prove who it is; each backend reads the fields it knows.
 *
 * @example
 * ```ts
 * const credentials: Credentials = { username: "ada", password: "s3cret" };
 * ```
 */
export type Credentials = Readonly<Record<string, unknown>>;

/**
 * A way to authenticate users, as Django's `AUTHENTICATION_BACKENDS` entries. The `name` is
 * stored in the session at login, so a session made through a backend that is later removed from
 * the configuration reads as anonymous.
 *
 * @example
 * ```ts
 * const apiKeys: AuthBackend = {
 *   name: "api-key",
 *   async authenticate({ apiKey }) { return typeof apiKey === "string" ? lookUp(apiKey) : null; },
 *   getUser: (id) => users.getById(Number(id)),
 * };
 * ```
 */
export interface AuthBackend {
  /** Unique among the configured backends; stored in sessions. */
  readonly name: string;
  /** The user these credentials prove, or `null` (wrong, incomplete or not for this backend). */
  authenticate(credentials: Credentials): Promise<User | null>;
  /** The user a session names, or `null` when it no longer exists or may not log in. */
  getUser(id: string): Promise<User | null>;
  /** Called by `login` after a successful login, e.g. to record `lastLogin`. */
  recordLogin?(user: User, when: Date): Promise<void>;
}
