/**
 * Users: `User`, the shared `anonymousUser`, the `UserStore` interface and `SqlUserStore`
 * (SQLite and PostgreSQL through `SqlDatabase`).
 * @module
 */
export { AnonymousUser, anonymousUser } from "./anonymous-user.js";
export type { AnyUser } from "./anonymous-user.js";
export { SqlUserStore } from "./sql-user-store.js";
export { User } from "./user.js";
export type { UserFields } from "./user.js";
export type { NewUser, UserChanges, UserStore } from "./user-store.js";
