import { closeSync, openSync } from "node:fs";
import { ImproperlyConfigured } from "../errors.js";
import type { PostgresDatabaseOptions } from "./postgres-database.js";
import type { SqlDatabase } from "./sql-database.js";
import { SqliteDatabase, type SqliteDatabaseOptions } from "./sqlite-database.js";

/**
 * The database the CLI uses when neither `--database` nor `SWITCHBOARD_DB` names one.
 *
 * @example
 * ```ts
 * const db = await openDatabase(DEFAULT_DATABASE_URL);
 * ```
 */
export const DEFAULT_DATABASE_URL = "./switchboard.sqlite3";

/**
 * Opens the database a URL names: `postgres://...` or `postgresql://...` gives a
 * `PostgresDatabase` (`pg` is imported only then), `sqlite:path`, a bare path or `":memory:"`
 * gives a {@link SqliteDatabase}, opened with `sqlite` (and PostgreSQL with `postgres`). A SQLite file
 * it creates is readable by its owner only (mode 0600), and so are the `-wal` and `-shm` files
 * SQLite makes beside it; an existing file keeps its mode.
 *
 * @example
 * ```ts
 * const db = await openDatabase(process.env.SWITCHBOARD_DB ?? "./switchboard.sqlite3", {
 *   readTransactionPerTurn: true,
 * });
 * ```
 */
export async function openDatabase(
  url: string,
  sqlite: SqliteDatabaseOptions = {},
  postgres: Omit<PostgresDatabaseOptions, "connectionString"> = {},
): Promise<SqlDatabase> {
  const path = sqlitePath(url);
  if (path === null) {
    const { PostgresDatabase } = await import("./postgres-database.js");
    return new PostgresDatabase({ ...postgres, connectionString: url });
  }
  if (path === "" || /^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    throw new ImproperlyConfigured(
      `Cannot open database ${JSON.stringify(url)}: use postgres://..., sqlite:path, ` +
        'a file path or ":memory:".',
    );
  }
  if (path !== ":memory:") createOwnerOnly(path);
  return new SqliteDatabase(path, sqlite);
}

/**
 * The SQLite file (or `":memory:"`) a database URL names, as {@link openDatabase} opens it:
 * `sqlite:path` or a bare path; `null` for a `postgres://` or `postgresql://` URL.
 *
 * @example
 * ```ts
 * sqlitePath("sqlite:./app.sqlite3"); // "./app.sqlite3"
 * ```
 */
export function sqlitePath(url: string): string | null {
  if (/^postgres(ql)?:\/\//i.test(url)) return null;
  return url.startsWith("sqlite:") ? url.slice("sqlite:".length) : url;
}

/**
 * Creates `path` empty with mode 0600 unless it exists (SQLite takes an empty file for a new
 * database, and gives its journal files the database file's mode). Any failure is left for
 * SQLite to report when it opens the file, in its own words.
 */
function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch {
    // exists already (its mode is the owner's choice), or SQLite will say why it cannot open it
  }
}

/**
 * The database URL a CLI command uses: the `--database URL` (or `--database=URL`) flag, else the
 * `SWITCHBOARD_DB` environment variable, else {@link DEFAULT_DATABASE_URL}.
 *
 * @example
 * ```ts
 * const db = await openDatabase(resolveDatabaseUrl(process.argv.slice(2)));
 * ```
 */
export function resolveDatabaseUrl(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg.startsWith("--database=")) return arg.slice("--database=".length);
    if (arg === "--database") {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("--")) {
        throw new ImproperlyConfigured("--database needs a URL, e.g. --database ./app.sqlite3");
      }
      return value;
    }
  }
  return env.SWITCHBOARD_DB || DEFAULT_DATABASE_URL;
}

/**
 * `url` fit for logs and messages: a PostgreSQL URL's password is replaced by `***`.
 *
 * @example
 * ```ts
 * redactDatabaseUrl("postgres://app:s3cret@db/app"); // "postgres://app:***@db/app"
 * ```
 */
export function redactDatabaseUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) return url;
  try {
    const parsed = new URL(url);
    if (parsed.password === "") return url;
    parsed.password = "***";
    return parsed.toString();
  } catch {
    // Unparseable: show the scheme only rather than risk printing a secret.
    return url.slice(0, url.indexOf("://") + 3) + "…";
  }
}
