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
});
