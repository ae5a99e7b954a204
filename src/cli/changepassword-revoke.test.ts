// changepassword --redis, run as the real CLI: the servers' layer group gets one auth.revoke.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import { revokeListener } from "../../test/support/revoke-listener.js";
import { REDIS_URL, serviceSkip } from "../../test/support/services.js";

const BIN = fileURLToPath(new URL("../../bin/switchboard.js", import.meta.url));

describe("switchboard changepassword --redis", { skip: await serviceSkip("redis") }, () => {
  const dir = mkdtempSync(join(tmpdir(), "sb-cli-revoke-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("sends one auth.revoke for the user to the servers' layer group", async (t) => {
    const database = join(dir, "app.sqlite3");
    const db = new SqliteDatabase(database);
    const users = new SqlUserStore(db);
    await users.migrate();
    const ada = await users.create({ username: "ada", passwordHash: "x" });
    db.close();
    const revokes = await revokeListener(t, "cli-revoke");

    const args = ["changepassword", "ada", "--database", database];
    const result = spawnSync(
      process.execPath,
      [BIN, ...args, "--redis", REDIS_URL, "--redis-prefix", revokes.prefix],
      { input: "quiet meadow\n", encoding: "utf8" },
    );
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(await revokes.next(), {
      type: "auth.revoke",
      user: String(ada.id),
      reason: "password changed",
    });
  });
});
