/** The stored fields of a user, as a {@link UserStore} reads and writes them. */
export interface UserFields {
  id: number;
  /** Unique and case-sensitive, as in Django. */
  username: string;
  /** `algorithm$params$salt$hash`, or `!...` for an unusable password. */
  passwordHash: string;
  /** An inactive user cannot log in and is anonymous on connections. */
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  lastLogin: Date | null;
  dateJoined: Date;
  /** Bumped by `logoutEverywhere`: part of the session auth hash, so every session ends. Default 0. */
  sessionVersion?: number;
}

/**
 * A registered user. Instances are immutable snapshots of a stored row: change a user through
 * its {@link UserStore} and read it again.
 *
 * `backend` names the authentication backend that produced the user (set by `authenticate`), so
 * `login` can record it in the session as Django does.
 *
 * @example
 * ```ts
 * const user = await users.getByUsername("ada");
 * if (user?.isAuthenticated) console.log(user.username, user.lastLogin);
 * ```
 */
export class User implements Readonly<UserFields> {
  readonly isAuthenticated = true as const;
  readonly isAnonymous = false as const;
  readonly id: number;
  readonly username: string;
  readonly passwordHash: string;
  readonly isActive: boolean;
  readonly isStaff: boolean;
  readonly isSuperuser: boolean;
  readonly lastLogin: Date | null;
  readonly dateJoined: Date;
  readonly sessionVersion: number;
  readonly backend: string | undefined;

  constructor(fields: UserFields, backend?: string) {
    this.id = fields.id;
    this.username = fields.username;
    this.passwordHash = fields.passwordHash;
    this.isActive = fields.isActive;
    this.isStaff = fields.isStaff;
    this.isSuperuser = fields.isSuperuser;
    this.lastLogin = fields.lastLogin;
    this.dateJoined = fields.dateJoined;
    this.sessionVersion = fields.sessionVersion ?? 0;
    this.backend = backend;
  }

  /**
   * The same user, marked as authenticated by the backend called `backend`.
   *
   * @example
   * ```ts
   * const marked = user.withBackend("model"); // marked.backend === "model"
   * ```
   */
  withBackend(backend: string): User {
    return new User(this, backend);
  }

  /**
   * A copy with some fields changed, e.g. after the store updated them.
   *
   * @example
   * ```ts
   * const renamed = user.with({ lastLogin: new Date() });
   * ```
   */
  with(changes: Partial<UserFields>): User {
    return new User({ ...this, ...changes }, this.backend);
  }
}
