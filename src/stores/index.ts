/**
 * Storage backends behind small interfaces: the SQL surface stores share, and session stores.
 * `PostgresDatabase` lives in `switchboard/postgres` and `RedisSessionStore` in
 * `switchboard/redis`, so the root never loads `pg` or `ioredis`.
 * @module
 */
export type { SqlDatabase } from "./sql-database.js";
export { SqliteDatabase } from "./sqlite-database.js";
export type { SqliteDatabaseOptions } from "./sqlite-database.js";
export {
  openDatabase,
  resolveDatabaseUrl,
  redactDatabaseUrl,
  DEFAULT_DATABASE_URL,
} from "./open-database.js";
export type { SessionStore, SessionRecord } from "./session-store.js";
export { InMemorySessionStore } from "./in-memory-session-store.js";
export { SqlSessionStore } from "./sql-session-store.js";
export type { SqlSessionStoreOptions } from "./sql-session-store.js";
export type { TicketStore } from "./ticket-store.js";
export { InMemoryTicketStore } from "./in-memory-ticket-store.js";
export { SqlTicketStore } from "./sql-ticket-store.js";
export type { SqlTicketStoreOptions } from "./sql-ticket-store.js";
