import { checkTableName } from "./table-name.js";
import type { SqlDatabase } from "./sql-database.js";
import { withMigrationHint } from "./migration-hint.js";
import { openTicketData, sealTicketData } from "./ticket-sealing.js";
import { newTicket, ticketHash, type TicketStore } from "./ticket-store.js";

/**
 * Options for {@link SqlTicketStore}.
 *
 * @example
 * ```ts
 * const tickets = new SqlTicketStore(db, { table: "myapp_tickets" });
 * ```
 */
export interface SqlTicketStoreOptions {
  /** Table name, a plain identifier. Default `switchboard_tickets`. */
  table?: string;
}

/**
 * {@link TicketStore} in a SQL table, on `SqliteDatabase` or `PostgresDatabase`. A ticket is
 * consumed by one `DELETE ... RETURNING`, atomic on both dialects, so of two processes presenting
 * it only one gets its row. Call `migrate()` once at startup (`switchboard migrate` does not know
 * this table); `clearExpired()` removes tickets nobody redeemed.
 *
 * @example
 * ```ts
 * const tickets = new SqlTicketStore(await openDatabase("./switchboard.sqlite3"));
 * await tickets.migrate();
 * ```
 */
export class SqlTicketStore implements TicketStore {
  readonly #db: SqlDatabase;
  readonly #table: string;

  constructor(db: SqlDatabase, options: SqlTicketStoreOptions = {}) {
    const table = checkTableName(options.table ?? "switchboard_tickets", "SqlTicketStore");
    this.#db = withMigrationHint(db, table);
    this.#table = table;
  }

  /** Creates the table and its expiry index if they are missing. */
  async migrate(): Promise<void> {
    await this.#db.execute(
      `CREATE TABLE IF NOT EXISTS ${this.#table} (` +
        "ticket_hash VARCHAR(64) PRIMARY KEY, ticket_data TEXT NOT NULL, expires_at BIGINT NOT NULL)",
    );
    await this.#db.execute(
      `CREATE INDEX IF NOT EXISTS ${this.#table}_expires_at ON ${this.#table} (expires_at)`,
    );
  }

  async mint(data: string, ttlMs: number): Promise<string> {
    const ticket = newTicket();
    await this.#db.execute(
      `INSERT INTO ${this.#table} (ticket_hash, ticket_data, expires_at) VALUES ($1, $2, $3)`,
      [ticketHash(ticket), sealTicketData(ticket, data), Date.now() + ttlMs],
    );
    return ticket;
  }

  async consume(ticket: string): Promise<string | null> {
    const [row] = await this.#db.query<{ ticket_data: string; expires_at: number }>(
      `DELETE FROM ${this.#table} WHERE ticket_hash = $1 RETURNING ticket_data, expires_at`,
      [ticketHash(ticket)],
    );
    return row !== undefined && Number(row.expires_at) > Date.now()
      ? openTicketData(ticket, row.ticket_data)
      : null;
  }

  async clearExpired(): Promise<number> {
    return this.#db.execute(`DELETE FROM ${this.#table} WHERE expires_at <= $1`, [Date.now()]);
  }
}
