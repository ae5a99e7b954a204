// The SqlDatabase contract, run against every implementation. Filter with STORES=sqlite,postgres.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import Database from "better-sqlite3";
import { storeSelected, TEST_DATABASES } from "../../test/support/databases.js";
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

  test("an unopenable SQLite path is BackendUnavailable", () => {
    assert.throws(() => new SqliteDatabase("/nonexistent-dir/x/db.sqlite3"), BackendUnavailable);
  });

  test("a schema that is not an identifier is refused", () => {
    assert.throws(() => new PostgresDatabase({ schema: "a; DROP TABLE x" }), ImproperlyConfigured);
  });
});

describe("SqliteDatabase statement cache", () => {
  test("keeps answering correctly while more distinct statements cycle than it holds", async () => {
    const db = new SqliteDatabase(":memory:", { statementCacheSize: 2 });
    try {
      // each statement reorders its placeholders differently, so a statement served with
      // another one's parameter order would answer wrongly
      const statements = [
        "SELECT $1 AS a, $2 AS b",
        "SELECT $2 AS a, $1 AS b",
        "SELECT $1 AS a, $1 AS b",
        "SELECT $2 AS a, $2 AS b",
      ];
      const expected = [
        { a: "x", b: "y" },
        { a: "y", b: "x" },
        { a: "x", b: "x" },
        { a: "y", b: "y" },
      ];
      for (let round = 0; round < 3; round++) {
        for (const [i, sql] of [0, 1, 0, 2, 3, 1, 0].map((k) => [k, statements[k]!] as const)) {
          assert.deepEqual(await db.query(sql, ["x", "y"]), [expected[i]]);
        }
      }
    } finally {
      await db.close();
    }
  });
});

describe("SqliteDatabase reads within one turn of the event loop", () => {
  let dir: string;
  let file: string;
  let other: Database.Database;
  const count = async (db: SqliteDatabase) =>
    (await db.query<{ n: number }>("SELECT count(*) AS n FROM notes"))[0]?.n;
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "sb-sqlite-turn-"));
    file = join(dir, "turn.sqlite3");
    const db = new SqliteDatabase(file);
    await db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
    await db.close();
    // a plain better-sqlite3 connection: what another process writing to the file looks like
    other = new Database(file);
  });
  beforeEach(() => other.prepare("DELETE FROM notes").run());
  after(() => {
    other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a read sees every write this process made before it, through any connection", async () => {
    const a = new SqliteDatabase(file);
    const b = new SqliteDatabase(file);
    try {
      // no await below waits for I/O: all of it runs in one turn
      assert.equal(await count(a), 0);
      await b.execute("INSERT INTO notes (body) VALUES ($1)", ["from b"]);
      assert.equal(await count(a), 1);
      await a.execute("INSERT INTO notes (body) VALUES ($1)", ["from a"]);
      assert.equal(await count(a), 2);
      assert.equal(await count(b), 2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("reads of one turn share one snapshot; the next turn sees other processes' writes", async () => {
    const db = new SqliteDatabase(file);
    try {
      assert.equal(await count(db), 0);
      other.prepare("INSERT INTO notes (body) VALUES ('elsewhere')").run();
      assert.equal(await count(db), 0);
      await nextTurn();
      assert.equal(await count(db), 1);
    } finally {
      await db.close();
    }
  });

  test("holds no transaction past its turn, so a checkpoint can empty the log", async () => {
    const db = new SqliteDatabase(file);
    try {
      other.prepare("INSERT INTO notes (body) VALUES ('logged')").run();
      assert.equal(await count(db), 1);
      await nextTurn();
      const [result] = other.pragma("wal_checkpoint(TRUNCATE)") as Array<{ busy: number }>;
      assert.equal(result?.busy, 0);
    } finally {
      await db.close();
    }
  });

  test("the caller's own BEGIN through execute() works after reads in the same turn", async () => {
    const db = new SqliteDatabase(file);
    try {
      assert.equal(await count(db), 0);
      await db.execute("BEGIN");
      await db.execute("INSERT INTO notes (body) VALUES ($1)", ["undone"]);
      assert.equal(await count(db), 1);
      await db.execute("ROLLBACK");
      assert.equal(await count(db), 0);
      await db.execute("BEGIN");
      await db.execute("INSERT INTO notes (body) VALUES ($1)", ["kept"]);
      await nextTurn();
      // the caller's transaction outlives the turn: only its COMMIT ends it
      assert.deepEqual(other.prepare("SELECT count(*) AS n FROM notes").get(), { n: 0 });
      await db.execute("COMMIT");
      assert.deepEqual(other.prepare("SELECT body FROM notes").all(), [{ body: "kept" }]);
    } finally {
      await db.close();
    }
  });

  test("close() in the middle of a turn's reads ends them quietly", async () => {
    const db = new SqliteDatabase(file);
    assert.equal(await count(db), 0);
    await db.close();
    await nextTurn();
    await assert.rejects(count(db), BackendUnavailable);
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
