import pg from "pg";
import type { CustomTypesConfig, PoolConfig } from "pg";
import { BackendUnavailable, ImproperlyConfigured } from "../errors.js";
import { OutageLog, type OutageLogger } from "../services/outage-log.js";
import type { SqlDatabase } from "./sql-database.js";

/**
 * Options for {@link PostgresDatabase}.
 *
 * @example
 * ```ts
 * const options: PostgresDatabaseOptions = { connectionString: "postgres://app@db/app", max: 20 };
 * ```
 */
export interface PostgresDatabaseOptions {
  /** `postgres://user:password@host:port/database`; libpq's `PG*` variables fill what is missing. */
  connectionString?: string;
  /**
   * Schema every pooled connection uses (its `search_path`), so tables are created and found
   * there. Tests point it at a temporary schema. Must be a plain identifier.
   */
  schema?: string;
  /** Largest number of pooled connections. Default 10. */
  max?: number;
  /**
   * Milliseconds to connect (or wait for a pooled connection) and, separately, to run a query,
   * before it fails with `BackendUnavailable` (HTTP 503, close 1011), so an unreachable or slow
   * server answers requests in bounded time. Default 1000; `pool.connectionTimeoutMillis` and
   * `pool.query_timeout` override it.
   */
  operationTimeoutMs?: number;
  /** Where the one line per outage (and one per recovery) goes. Default `console.warn`. */
  logger?: OutageLogger;
  /** Anything else `pg.Pool` accepts (ssl, timeouts, ...). */
  pool?: PoolConfig;
}

const INT8_OID = 20;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

// SQLSTATE classes meaning the server cannot serve us right now: connection exceptions (08),
// operator intervention such as a shutdown (57P), insufficient resources (53).
const UNAVAILABLE_SQLSTATE = /^(08|57P|53)/;

// BIGINT comes back as a number like SQLite's, so one store reads both; a value past 2^53
// stays exact as a bigint rather than silently rounding.
function parseInt8(text: string): number | bigint {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}

const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? parseInt8 : pg.types.getTypeParser(oid, format),
} as CustomTypesConfig;

/**
 * {@link SqlDatabase} over a `pg` connection pool. Available from `switchboard/postgres`, so the
 * root package never loads `pg`.
 *
 * @example
 * ```ts
 * import { PostgresDatabase } from "switchboard/postgres";
 *
 * const db = new PostgresDatabase({ connectionString: process.env.DATABASE_URL, schema: "app" });
 * const rows = await db.query<{ now: string }>("SELECT now()::text AS now");
 * await db.close();
 * ```
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = "postgres";
  readonly #pool: pg.Pool;
  readonly #outage: OutageLog;
  #closed = false;

  constructor(options: PostgresDatabaseOptions = {}) {
    const { schema } = options;
    if (schema !== undefined && !IDENTIFIER.test(schema)) {
      throw new ImproperlyConfigured(
        `PostgresDatabase schema ${JSON.stringify(schema)} is not a plain identifier: ` +
          "use letters, digits and underscores, starting with a letter or underscore.",
      );
    }
    const timeout = options.operationTimeoutMs ?? 1000;
    this.#outage = new OutageLog("PostgreSQL", options.logger);
    this.#pool = new pg.Pool({
      max: options.max ?? 10,
      connectionTimeoutMillis: timeout,
      query_timeout: timeout,
      ...options.pool,
      connectionString: options.connectionString ?? options.pool?.connectionString,
      types,
      // A startup parameter rather than a `SET` after connecting: it is in force before the
      // first statement on every connection the pool opens, with no window for a race.
      ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
    });
    // An idle connection that drops (server restart) is discarded by the pool; without a
    // listener the 'error' event would crash the process.
    this.#pool.on("error", this.#outage.failed);
  }

  async query<Row extends object = Record<string, unknown>>(
    sql: string,
    params: readonly unknown[] = [],
  ): Promise<Row[]> {
    const result = await this.#run(sql, params);
    return result.rows as Row[];
  }

  async execute(sql: string, params: readonly unknown[] = []): Promise<number> {
    const result = await this.#run(sql, params);
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  async #run(sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
    if (this.#closed) {
      throw new BackendUnavailable("PostgresDatabase is closed: open a new one to run queries.");
    }
    try {
      const result = await this.#pool.query(sql, params as unknown[]);
      this.#outage.recovered();
      return result;
    } catch (error) {
      const classified = classify(error, sql);
      if (classified instanceof BackendUnavailable) this.#outage.failed(error);
      throw classified;
    }
  }
}

function classify(error: unknown, sql: string): unknown {
  const code = (error as { code?: unknown }).code;
  // Errors the server reports carry a severity and a SQLSTATE; the others come from the way
  // there: a system error code (ECONNREFUSED, ECONNRESET) or pg's own connection messages.
  const fromServer = typeof (error as { severity?: unknown }).severity === "string";
  const unavailable = fromServer
    ? typeof code === "string" && UNAVAILABLE_SQLSTATE.test(code)
    : (typeof code === "string" && code.startsWith("E")) ||
      /connect|terminated|timeout|not queryable/i.test((error as Error).message ?? "");
  if (!unavailable) return error;
  return new BackendUnavailable(
    `PostgreSQL could not run ${JSON.stringify(sql.slice(0, 80))}: ${(error as Error).message}`,
    { cause: error },
  );
}
