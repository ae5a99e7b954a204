/**
 * `switchboard/postgres`: the parts that load `pg`.
 * @module
 */
export { PostgresDatabase } from "./stores/postgres-database.js";
export type { PostgresDatabaseOptions } from "./stores/postgres-database.js";
