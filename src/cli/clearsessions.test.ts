import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { newSessionKey } from "../sessions/session-key.js";
import { SqlSessionStore } from "../stores/sql-session-store.js";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { clearsessions } from "./clearsessions.js";

describe("switchboard clearsessions", () => {
  test("removes expired sessions from the --database file and keeps live ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-clearsessions-"));
    const path = join(dir, "app.sqlite3");
    const db = new SqliteDatabase(path);
    try {
      const store = new SqlSessionStore(db);
      await store.migrate();
      const live = await newSessionKey();
      await store.save(live, "{}", new Date(Date.now() + 60_000), true);
      for (let i = 0; i < 3; i++) {
        await store.save(await newSessionKey(), "{}", new Date(Date.now() - 1000), true);
      }
      const lines: string[] = [];
      assert.equal(await clearsessions(["--database", path], (line) => lines.push(line)), 0);
      assert.deepEqual(lines, [`Removed 3 expired sessions from ${path}.`]);
      assert.equal(await store.exists(live), true);
      assert.equal(await store.clearExpired(), 0);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("removes rows only from the --table it is given", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-clearsessions-"));
    const path = join(dir, "app.sqlite3");
    const db = new SqliteDatabase(path);
    try {
      const custom = new SqlSessionStore(db, { table: "custom_sessions" });
      const standard = new SqlSessionStore(db);
      for (const store of [custom, standard]) {
        await store.migrate();
        await store.save(await newSessionKey(), "{}", new Date(Date.now() - 1000), true);
      }
      const lines: string[] = [];
      const args = ["--database", path, "--table", "custom_sessions"];
      assert.equal(await clearsessions(args, (line) => lines.push(line)), 0);
      assert.deepEqual(lines, [`Removed 1 expired session from ${path}.`]);
      assert.equal(await standard.clearExpired(), 1);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("refuses stray arguments with exit code 2 before opening a database", async () => {
    const missing = join(tmpdir(), "sb-clearsessions-never", "db.sqlite3");
    assert.equal(await clearsessions(["--database", missing, "extra"], () => {}), 2);
  });
});
