// SqliteDatabase beyond the SqlDatabase contract: its statement cache and its opt-in read
// transaction per turn of the event loop.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, beforeEach, describe, test } from "node:test";
import Database from "better-sqlite3";
import { BackendUnavailable } from "../errors.js";
import { SqliteDatabase } from "./sqlite-database.js";

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

describe("SqliteDatabase readTransactionPerTurn", () => {
  let dir: string;
  let file: string;
  let other: Database.Database;
  const count = async (db: SqliteDatabase) =>
    (await db.query<{ n: number }>("SELECT count(*) AS n FROM notes"))[0]?.n;
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const open = () => new SqliteDatabase(file, { readTransactionPerTurn: true });

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

  test("without it, a read sees every write made before it, through any connection", async () => {
    const a = new SqliteDatabase(file);
    const b = new SqliteDatabase(file);
    try {
      // no await below waits for I/O: all of it runs in one turn
      assert.equal(await count(a), 0);
      await b.execute("INSERT INTO notes (body) VALUES ($1)", ["from b"]);
      assert.equal(await count(a), 1);
      other.prepare("INSERT INTO notes (body) VALUES ('elsewhere')").run();
      assert.equal(await count(a), 2);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test("a write ends the turn's read first, so it is committed at once", async () => {
    const db = open();
    try {
      assert.equal(await count(db), 0);
      await db.execute("INSERT INTO notes (body) VALUES ($1)", ["mine"]);
      assert.deepEqual(other.prepare("SELECT count(*) AS n FROM notes").get(), { n: 1 });
      assert.equal(await count(db), 1);
    } finally {
      await db.close();
    }
  });

  test("reads of one turn share one snapshot; the next turn sees other connections' writes", async () => {
    const db = open();
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
    const db = open();
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
    const db = open();
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
    const db = open();
    assert.equal(await count(db), 0);
    await db.close();
    await nextTurn();
    await assert.rejects(count(db), BackendUnavailable);
  });
});
