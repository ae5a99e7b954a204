import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { openDatabase } from "./open-database.js";

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("openDatabase > file modes", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "sb-open-mode-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("creates a SQLite file and its -wal and -shm files readable by the owner only", async () => {
    const file = join(dir, "new.sqlite3");
    const db = await openDatabase(`sqlite:${file}`);
    try {
      await db.execute("CREATE TABLE notes (text TEXT)");
      await db.execute("INSERT INTO notes (text) VALUES ($1)", ["kept"]);
      for (const path of [file, `${file}-wal`, `${file}-shm`]) {
        assert.equal(modeOf(path), 0o600, `${path} is ${modeOf(path).toString(8)}`);
      }
    } finally {
      await db.close();
    }
  });

  test("leaves an existing file's mode alone and opens its data", async () => {
    const file = join(dir, "existing.sqlite3");
    writeFileSync(file, "");
    chmodSync(file, 0o640);
    const db = await openDatabase(file);
    await db.execute("CREATE TABLE notes (text TEXT)");
    await db.close();
    assert.equal(modeOf(file), 0o640);
    const again = await openDatabase(file);
    assert.deepEqual(await again.query("SELECT count(*) AS n FROM notes"), [{ n: 0 }]);
    await again.close();
  });
});
