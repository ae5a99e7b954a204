import { ImproperlyConfigured } from "../errors.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * `table` when it is a plain identifier, safe to splice into SQL; otherwise throws
 * `ImproperlyConfigured` naming `owner`, the store it was given to.
 *
 * @example
 * ```ts
 * this.#table = checkTableName(options.table ?? "switchboard_tickets", "SqlTicketStore");
 * ```
 */
export function checkTableName(table: string, owner: string): string {
  if (!IDENTIFIER.test(table)) {
    throw new ImproperlyConfigured(
      `${owner} table ${JSON.stringify(table)} is not a plain identifier: use letters, digits and underscores.`,
    );
  }
  return table;
}
