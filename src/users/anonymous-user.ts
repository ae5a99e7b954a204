import type { User } from "./user.js";

/**
 * The user of a connection nobody is logged in on. Use the shared {@link anonymousUser}
 * instance; compare with `user.isAuthenticated`, never with `instanceof`.
 *
 * @example
 * ```ts
 * if (!scope.user.isAuthenticated) await send({ type: "websocket.close" });
 * ```
 */
export class AnonymousUser {
  readonly isAuthenticated = false as const;
  readonly isAnonymous = true as const;
  readonly id = null;
  readonly username = "";
  readonly isActive = false;
  readonly isStaff = false;
  readonly isSuperuser = false;
}

/**
 * The one anonymous user every unauthenticated scope shares; frozen, so nobody can mark it.
 *
 * @example
 * ```ts
 * scope.user = anonymousUser;
 * ```
 */
export const anonymousUser: AnonymousUser = Object.freeze(new AnonymousUser());

/**
 * Whoever is on a connection: a {@link User} or the anonymous user. Narrow with
 * `isAuthenticated`.
 *
 * @example
 * ```ts
 * function greet(user: AnyUser) { return user.isAuthenticated ? `hi ${user.username}` : "hi"; }
 * ```
 */
export type AnyUser = User | AnonymousUser;
