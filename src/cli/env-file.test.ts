import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";

const BIN = fileURLToPath(new URL("../../bin/switchboard.js", import.meta.url));

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project directory whose `.env` names the database `from-env-file.sqlite3`. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-env-file-"));
  dirs.push(dir);
  writeFileSync(join(dir, ".env"), "# a comment\nSWITCHBOARD_DB=./from-env-file.sqlite3\n");
  return dir;
}

function migrate(cwd: string, env: NodeJS.ProcessEnv) {
  const { SWITCHBOARD_DB: _ignored, ...inherited } = process.env;
  return spawnSync(process.execPath, [BIN, "migrate"], {
    cwd,
    env: { ...inherited, ...env },
    encoding: "utf8",
  });
}

describe("switchboard commands > ./.env", () => {
  test("sets what the environment does not", () => {
    const dir = project();
    const result = migrate(dir, {});
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Migrated users and sessions in \.\/from-env-file\.sqlite3\./);
    assert.equal(existsSync(join(dir, "from-env-file.sqlite3")), true);
  });

  test("does not override a variable the environment sets", () => {
    const dir = project();
    const result = migrate(dir, { SWITCHBOARD_DB: "./from-environment.sqlite3" });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(existsSync(join(dir, "from-environment.sqlite3")), true);
    assert.equal(existsSync(join(dir, "from-env-file.sqlite3")), false);
  });

  test("is optional", () => {
    const dir = project();
    rmSync(join(dir, ".env"));
    const result = migrate(dir, {});
    assert.equal(result.status, 0, result.stderr);
    assert.equal(existsSync(join(dir, "switchboard.sqlite3")), true);
  });
});
