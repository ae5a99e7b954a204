// The SqlDatabase contract, run against every implementation. Filter with STORES=sqlite,postgres.
import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { storeSelected, TEST_DATABASES } from "../../test/support/databases.js";
import { TcpProxy } from "../../test/support/tcp-proxy.js";
import type { TestDatabase } from "../../test/support/databases.js";
import { BackendUnavailable, ImproperlyConfigured } from "../errors.js";
import {
  DEFAULT_DATABASE_URL,
  openDatabase,
  redactDatabaseUrl,
  resolveDatabaseUrl,
} from "./open-database.js";
import { PostgresDatabase } from "./postgres-database.js";
import type { SqlDatabase } from "./sql-database.js";
import { SqliteDatabase } from "./sqlite-database.js";

for (const [name, kind] of Object.entries(TEST_DATABASES)) {
  if (!storeSelected(name)) continue;
  describe(`SqlDatabase contract: ${name}`, { skip: await kind.skip() }, () => {
    let fixture: TestDatabase;
    let db: SqlDatabase;
    before(async () => {
      fixture = await kind.open("sqldb");
      db = fixture.db;
      await db.execute(
        "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT, n BIGINT, flag BOOLEAN)",
      );
    });
    after(() => fixture.dispose());

    test("reports its dialect", () => {
      assert.equal(db.dialect, name);
    });

    test("binds $n placeholders in any order and more than once", async () => {
      assert.equal(
        await db.execute("INSERT INTO notes (id, body, n) VALUES ($2, $1, $2), ($3, $1, $3)", [
          "hi",
          1,
          2,
        ]),
        2,
      );
      const rows = await db.query<{ id: number; body: string; n: number }>(
        "SELECT id, body, n FROM notes WHERE id IN ($1, $2) AND body = $3 ORDER BY id",
        [2, 1, "hi"],
      );
      assert.deepEqual(
        rows.map((row) => ({ ...row })),
        [
          { id: 1, body: "hi", n: 1 },
          { id: 2, body: "hi", n: 2 },
        ],
      );
    });

    test("leaves $n inside string literals alone", async () => {
      await db.execute("INSERT INTO notes (id, body) VALUES ($1, 'costs $1, it''s -- $2')", [3]);
      const [row] = await db.query<{ body: string }>("SELECT body FROM notes WHERE id = $1", [3]);
      assert.equal(row?.body, "costs $1, it's -- $2");
    });

    test("returns BIGINT values as numbers and binds booleans and null", async () => {
      const big = 2 ** 40 + 7;
      await db.execute("INSERT INTO notes (id, n, flag, body) VALUES ($1, $2, $3, $4)", [
        4,
        big,
        true,
        null,
      ]);
      const [row] = await db.query<{ n: unknown; body: unknown }>(
        "SELECT n, body FROM notes WHERE id = $1",
        [4],
      );
      assert.equal(row?.n, big);
      assert.equal(row?.body, null);
    });

    test("execute counts changed rows; query of a write returns no rows", async () => {
      assert.equal(await db.execute("UPDATE notes SET body = $1 WHERE id > $2", ["x", 100]), 0);
      assert.deepEqual(await db.query("UPDATE notes SET body = $1 WHERE id = $2", ["y", 1]), []);
      assert.equal(await db.execute("DELETE FROM notes WHERE id = $1", [1]), 1);
    });

    test("reuses one statement text with new parameters", async () => {
      for (const id of [2, 3, 4]) {
        const [row] = await db.query<{ id: number }>("SELECT id FROM notes WHERE id = $1", [id]);
        assert.equal(row?.id, id);
      }
    });

    test("lets SQL errors through unchanged, not as BackendUnavailable", async () => {
      await assert.rejects(db.query("SELECT nope FROM missing_table"), (error: unknown) => {
        assert.ok(!(error instanceof BackendUnavailable));
        return true;
      });
    });
  });
}

const postgresDown = storeSelected("postgres")
  ? await TEST_DATABASES.postgres.skip()
  : "postgres is not in STORES";

describe("SqlDatabase backends that are down", () => {
  test("a closed SqliteDatabase rejects with BackendUnavailable", async () => {
    const db = new SqliteDatabase(":memory:");
    await db.close();
    await assert.rejects(db.query("SELECT 1"), BackendUnavailable);
  });

  test("an unreachable PostgreSQL rejects with BackendUnavailable keeping the cause", async () => {
    const db = new PostgresDatabase({ connectionString: "postgres://postgres@127.0.0.1:1/none" });
    try {
      await assert.rejects(db.query("SELECT 1"), (error: unknown) => {
        assert.ok(error instanceof BackendUnavailable);
        assert.equal((error.cause as { code?: string }).code, "ECONNREFUSED");
        return true;
      });
    } finally {
      await db.close();
    }
  });

  test(
    "a PostgreSQL connection the server terminates is BackendUnavailable",
    { skip: postgresDown },
    async () => {
      const { db, dispose } = await TEST_DATABASES.postgres.open("terminated");
      try {
        await assert.rejects(
          db.query("SELECT pg_terminate_backend(pg_backend_pid())"),
          (error: unknown) => {
            assert.ok(error instanceof BackendUnavailable);
            assert.equal((error.cause as { code?: string }).code, "57P01");
            return true;
          },
        );
        // The pool drops the dead connection and serves the next query on a fresh one.
        assert.deepEqual(await db.query("SELECT 1 AS one"), [{ one: 1 }]);
      } finally {
        await dispose();
      }
    },
  );

  test("a PostgreSQL that accepts connections but never answers is BackendUnavailable within operationTimeoutMs", async (t) => {
    const held = new Set<Socket>();
    const silent = createServer((socket) => held.add(socket)).listen(0, "127.0.0.1");
    await once(silent, "listening");
    const { port } = silent.address() as { port: number };
    const lines: string[] = [];
    const db = new PostgresDatabase({
      connectionString: `postgres://postgres@127.0.0.1:${port}/none`,
      operationTimeoutMs: 200,
      logger: (line) => lines.push(line),
    });
    t.after(async () => {
      await db.close();
      for (const socket of held) socket.destroy();
      silent.close();
    });
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await assert.rejects(db.query("SELECT 1"), BackendUnavailable);
      assert.ok(performance.now() - start < 900, "answered within the deadline");
    }
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(lines[0]!, /^PostgreSQL unavailable/);
  });

  test(
    "a PostgreSQL that goes away and returns logs one line for each, and serves again",
    { skip: postgresDown },
    async (t) => {
      const proxy = new TcpProxy(5432);
      await proxy.up();
      const lines: string[] = [];
      const db = new PostgresDatabase({
        connectionString: `postgres://postgres@127.0.0.1:${proxy.port}/test`,
        logger: (line) => lines.push(line),
      });
      t.after(async () => {
        await db.close();
        await proxy.down();
      });
      assert.deepEqual(await db.query("SELECT 1 AS one"), [{ one: 1 }]);
      await proxy.down();
      for (let i = 0; i < 3; i++) await assert.rejects(db.query("SELECT 1"), BackendUnavailable);
      await proxy.up();
      assert.deepEqual(await db.query("SELECT 1 AS one"), [{ one: 1 }]);
      assert.equal(lines.length, 2, lines.join("\n"));
      assert.match(lines[0]!, /^PostgreSQL unavailable/);
      assert.match(lines[1]!, /^PostgreSQL available again after/);
    },
  );

  test("an unopenable SQLite path is BackendUnavailable", () => {
    assert.throws(() => new SqliteDatabase("/nonexistent-dir/x/db.sqlite3"), BackendUnavailable);
  });

  test("a schema that is not an identifier is refused", () => {
    assert.throws(() => new PostgresDatabase({ schema: "a; DROP TABLE x" }), ImproperlyConfigured);
  });
});

describe("openDatabase", () => {
  test("opens SQLite for :memory:, sqlite:path and bare paths", async () => {
    for (const url of [":memory:", "sqlite::memory:"]) {
      const db = await openDatabase(url);
      assert.equal(db.dialect, "sqlite");
      await db.close();
    }
  });

  test("opens PostgreSQL for postgres:// and postgresql:// without connecting", async () => {
    for (const url of ["postgres://u@127.0.0.1:1/x", "postgresql://u@127.0.0.1:1/x"]) {
      const db = await openDatabase(url);
      assert.equal(db.dialect, "postgres");
      await db.close();
    }
  });

  test("refuses other schemes and an empty path", async () => {
    await assert.rejects(openDatabase("mysql://localhost/db"), ImproperlyConfigured);
    await assert.rejects(openDatabase("sqlite:"), ImproperlyConfigured);
  });
});

describe("resolveDatabaseUrl", () => {
  test("prefers --database, then SWITCHBOARD_DB, then the default file", () => {
    const env = { SWITCHBOARD_DB: "postgres://env" };
    assert.equal(resolveDatabaseUrl(["--database", "a.sqlite3"], env), "a.sqlite3");
    assert.equal(resolveDatabaseUrl(["x", "--database=b.sqlite3"], env), "b.sqlite3");
    assert.equal(resolveDatabaseUrl([], env), "postgres://env");
    assert.equal(resolveDatabaseUrl([], {}), DEFAULT_DATABASE_URL);
    assert.equal(resolveDatabaseUrl([], { SWITCHBOARD_DB: "" }), DEFAULT_DATABASE_URL);
  });

  test("refuses --database without a value", () => {
    assert.throws(() => resolveDatabaseUrl(["--database"], {}), ImproperlyConfigured);
    assert.throws(() => resolveDatabaseUrl(["--database", "--verbose"], {}), ImproperlyConfigured);
  });
});

describe("redactDatabaseUrl", () => {
  test("hides a PostgreSQL password and leaves other URLs alone", () => {
    assert.equal(
      redactDatabaseUrl("postgres://app:s3cret@db:5432/app"),
      "postgres://app:***@db:5432/app",
    );
    assert.equal(redactDatabaseUrl("postgresql://app@db/app"), "postgresql://app@db/app");
    assert.equal(redactDatabaseUrl("./switchboard.sqlite3"), "./switchboard.sqlite3");
    assert.doesNotMatch(redactDatabaseUrl("postgres://a:b c@%zz/x"), /b c/);
  });
});
