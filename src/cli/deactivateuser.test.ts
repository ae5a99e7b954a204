// deactivateuser, run as the real CLI: the user is inactive and, with --redis, the servers' layer
// group gets one auth.revoke with 4002.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import { revokeListener } from "../../test/support/revoke-listener.js";
import { REDIS_URL, serviceSkip } from "../../test/support/services.js";

const redisSkip = await serviceSkip("redis");
const BIN = fileURLToPath(new URL("../../bin/switchboard.js", import.meta.url));

describe("switchboard deactivateuser", () => {
  const dir = mkdtempSync(join(tmpdir(), "sb-cli-deactivate-"));
  const database = join(dir, "app.sqlite3");
  const run = (args: string[]) =>
    spawnSync(process.execPath, [BIN, "deactivateuser", ...args, "--database", database], {
      encoding: "utf8",
    });
  const isActive = async (username: string) => {
    const db = new SqliteDatabase(database);
    const user = await new SqlUserStore(db).getByUsername(username);
    db.close();
    return user?.isActive;
  };
  before(async () => {
    const db = new SqliteDatabase(database);
    const users = new SqlUserStore(db);
    await users.migrate();
    await users.create({ username: "ada", passwordHash: "x" });
    await users.create({ username: "bob", passwordHash: "x" });
    db.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("makes the user inactive and leaves the others", async () => {
    const result = run(["bob"]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Deactivated "bob"/);
    assert.equal(await isActive("bob"), false);
    assert.equal(await isActive("ada"), true);
  });

  it("reports an unknown user with exit code 1", () => {
    const result = run(["BOB"]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no user "BOB"/);
  });

  it(
    "with --redis sends one auth.revoke with 4002 to the servers' layer group",
    { skip: redisSkip },
    async (t) => {
      const revokes = await revokeListener(t, "cli-deactivate");
      const db = new SqliteDatabase(database);
      const ada = await new SqlUserStore(db).getByUsername("ada");
      db.close();
      const result = run(["ada", "--redis", REDIS_URL, "--redis-prefix", revokes.prefix]);
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(await revokes.next(), {
        type: "auth.revoke",
        user: String(ada?.id),
        code: 4002,
        reason: "account deactivated",
      });
      assert.equal(await isActive("ada"), false);
    },
  );
});
