/**
 * Throwaway SQL databases for contract tests: SQLite in a temporary directory, PostgreSQL in a
 * temporary schema. `dispose()` removes what `open()` made. Filter with `STORES=sqlite,postgres`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PostgresDatabase } from "../../src/stores/postgres-database.js";
import type { SqlDatabase } from "../../src/stores/sql-database.js";
import { SqliteDatabase } from "../../src/stores/sqlite-database.js";
import { DATABASE_URL, serviceSkip } from "./services.js";

export interface TestDatabase {
  db: SqlDatabase;
  /** Closes the database and drops its file or schema. */
  dispose(): Promise<void>;
}

export interface TestDatabaseKind {
  /** `false` when usable, else why the tests are skipped (see `serviceSkip`). */
  skip(): Promise<string | false>;
  open(label: string): Promise<TestDatabase>;
}

export const TEST_DATABASES: Record<"sqlite" | "postgres", TestDatabaseKind> = {
  sqlite: {
    skip: async () => false,
    async open(label) {
      const dir = mkdtempSync(join(tmpdir(), `sb-${label}-`));
      const db = new SqliteDatabase(join(dir, "test.sqlite3"));
      return {
        db,
        async dispose() {
          await db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  postgres: {
    skip: () => serviceSkip("postgres"),
    async open(label) {
      const schema = `sbtest_${label}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new PostgresDatabase({ connectionString: DATABASE_URL, max: 1 });
      await admin.execute(`CREATE SCHEMA ${schema}`);
      const db = new PostgresDatabase({ connectionString: DATABASE_URL, schema });
      return {
        db,
        async dispose() {
          await db.close();
          await admin.execute(`DROP SCHEMA ${schema} CASCADE`);
          await admin.close();
        },
      };
    },
  },
};

/** Whether `name` passes the `STORES` filter (everything passes when it is unset). */
export function storeSelected(name: string): boolean {
  const filter = process.env.STORES;
  return filter === undefined || filter.split(",").some((entry) => entry.trim() === name);
}
