import type { User } from "./user.js";

/** What `UserStore.create` needs; flags default to a plain active user joined now. */
export interface NewUser {
  username: string;
  /** An encoded hash from `Passwords.hash`, or `Passwords.unusable()` for no password. */
  passwordHash: string;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  dateJoined?: Date;
}

/** Fields `UserStore.update` may change. Usernames are fixed once created. */
export interface UserChanges {
  passwordHash?: string;
  /** See `User.sessionVersion`; `logoutEverywhere` bumps it. */
  sessionVersion?: number;
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
}

/**
 * Where users live. Implementations are peers behind this interface (`SqlUserStore` serves
 * SQLite and PostgreSQL); one contract suite (`src/users/user-store.test.ts`) runs against each.
 *
 * @example
 * ```ts
 * const users: UserStore = new SqlUserStore(db);
 * await users.migrate();
 * const ada = await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
 * ```
 */
export interface UserStore {
  /** Creates what the store needs (tables); safe to run again. */
  migrate(): Promise<void>;
  getById(id: number): Promise<User | null>;
  /** Exact, case-sensitive match. */
  getByUsername(username: string): Promise<User | null>;
  /** Throws `UsernameTaken` when the username exists. */
  create(user: NewUser): Promise<User>;
  /** Returns the updated user, or `null` when no user has this id. */
  update(id: number, changes: UserChanges): Promise<User | null>;
  /** Removes the user; `false` when no user has this id. Their sessions read as anonymous. */
  delete(id: number): Promise<boolean>;
  /** Records a successful login; a no-op for an unknown id. */
  setLastLogin(id: number, when: Date): Promise<void>;
}
