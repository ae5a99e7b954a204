// migrate, createuser and changepassword, run as the real CLI in child processes against a
// temporary SQLite file.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Passwords } from "../auth/passwords.js";
import { sessionKeyHash } from "../sessions/session-key-hash.js";
import { SqlSessionStore } from "../stores/sql-session-store.js";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { SqlUserStore } from "../users/sql-user-store.js";

const BIN = fileURLToPath(new URL("../../bin/switchboard.js", import.meta.url));

describe("switchboard migrate, createuser, changepassword", () => {
  let dir: string;
  let database: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "sb-cli-auth-"));
    database = join(dir, "app.sqlite3");
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function run(args: string[], input = "", env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, [BIN, ...args], {
      input,
      encoding: "utf8",
      env: { ...process.env, ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Reads a user straight from the file the commands wrote. */
  async function stored(username: string) {
    const db = new SqliteDatabase(database);
    try {
      return await new SqlUserStore(db).getByUsername(username);
    } finally {
      await db.close();
    }
  }

  it("migrate creates the tables and can run again", () => {
    const first = run(["migrate", "--database", database]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /Migrated users and sessions/);
    assert.equal(run(["migrate", "--database", database]).status, 0);
  });

  it("migrate replaces the session keys an earlier version stored raw by their hashes", async () => {
    const file = join(dir, "upgraded.sqlite3");
    assert.equal(run(["migrate", "--database", file]).status, 0);
    const key = "k".repeat(32);
    const db = new SqliteDatabase(file);
    try {
      await db.execute(
        "INSERT INTO switchboard_sessions (session_key, session_data, expires_at) VALUES ($1, $2, $3)",
        [key, '{"user":"7"}', Date.now() + 60_000],
      );
    } finally {
      await db.close();
    }
    assert.equal(run(["migrate", "--database", file]).status, 0);
    const after = new SqliteDatabase(file);
    try {
      const rows = await after.query("SELECT session_key FROM switchboard_sessions");
      assert.deepEqual(rows, [{ session_key: sessionKeyHash(key) }]);
      assert.equal((await new SqlSessionStore(after).load(key))?.data, '{"user":"7"}');
    } finally {
      await after.close();
    }
  });

  it("migrate creates the database file readable by its owner only", () => {
    const file = join(dir, "private.sqlite3");
    assert.equal(run(["migrate", "--database", file]).status, 0);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  });

  it("createuser reads the password from piped stdin and stores only its hash", async () => {
    const result = run(
      ["createuser", "--username", "ada", "--database", database],
      "violet harbour\n",
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /Created user "ada"/);
    const ada = await stored("ada");
    assert.ok(ada?.passwordHash.startsWith("scrypt$"));
    assert.equal(await new Passwords().verify("violet harbour", ada?.passwordHash ?? ""), true);
    assert.deepEqual([ada?.isStaff, ada?.isSuperuser], [false, false]);
  });

  it("createuser --superuser makes a staff superuser, found through SWITCHBOARD_DB", async () => {
    const result = run(["createuser", "--username", "root", "--superuser"], "amber lantern\n", {
      SWITCHBOARD_DB: database,
    });
    assert.equal(result.status, 0, result.stderr);
    const root = await stored("root");
    assert.deepEqual([root?.isStaff, root?.isSuperuser], [true, true]);
  });

  it("createuser refuses an existing username unless --if-missing, which changes nothing", async () => {
    const before = (await stored("ada"))?.passwordHash;
    const refused = run(["createuser", "--username", "ada", "--database", database], "other\n");
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /"ada" already exists/);
    const tolerated = run(
      ["createuser", "--username", "ada", "--if-missing", "--database", database],
      "other\n",
    );
    assert.equal(tolerated.status, 0, tolerated.stderr);
    assert.equal((await stored("ada"))?.passwordHash, before);
  });

  it("createuser needs a username and a non-empty password", async () => {
    assert.equal(run(["createuser", "--database", database]).status, 2);
    const empty = run(["createuser", "--username", "blank", "--database", database], "\n");
    assert.equal(empty.status, 1);
    assert.equal(await stored("blank"), null);
  });

  it("createuser refuses a weak password with every reason, exit 1 and no user", async () => {
    const weak = run(["createuser", "--username", "weak", "--database", database], "1234567\n");
    assert.equal(weak.status, 1);
    assert.equal(
      weak.stderr,
      "The password was refused:\n" +
        "  - The password is too short: use at least 8 characters.\n" +
        "  - The password is one of the most common ones: choose one that is harder to guess.\n" +
        "  - The password is entirely numeric: add letters or symbols.\n",
    );
    assert.equal(await stored("weak"), null);
    const likeName = run(
      ["createuser", "--username", "grace", "--database", database],
      "Grace1906!\n",
    );
    assert.equal(likeName.status, 1);
    assert.match(likeName.stderr, /too similar to the username/);
    assert.equal(await stored("grace"), null);
  });

  it("changepassword refuses a weak password and keeps the old one", async () => {
    const before = (await stored("ada"))?.passwordHash;
    const result = run(["changepassword", "ada", "--database", database], "password1\n");
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /The password was refused:\n {2}- The password is one of the most common/,
    );
    assert.equal((await stored("ada"))?.passwordHash, before);
  });

  it("changepassword replaces the hash: the new password verifies, the old one no longer", async () => {
    const result = run(["changepassword", "ada", "--database", database], "quiet meadow\n");
    assert.equal(result.status, 0, result.stderr);
    const hash = (await stored("ada"))?.passwordHash ?? "";
    assert.equal(await new Passwords().verify("quiet meadow", hash), true);
    assert.equal(await new Passwords().verify("violet harbour", hash), false);
  });

  it("each command prints its usage on --help; an unknown option exits 2 with the usage", () => {
    for (const command of ["migrate", "createuser", "changepassword"]) {
      const help = run([command, "--help"]);
      assert.equal(help.status, 0, command);
      assert.match(help.stdout, new RegExp(`Usage: switchboard ${command}`));
    }
    const wrong = run(["createuser", "--frobnicate"]);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /Unknown option '--frobnicate'[\s\S]*Usage: switchboard createuser/);
  });

  it("changepassword reports an unknown user (usernames are case-sensitive)", () => {
    const result = run(["changepassword", "ADA", "--database", database], "x\n");
    assert.equal(result.status, 1);
    assert.match(result.stderr, /no user "ADA"/);
  });

  it("createuser prompts twice on a terminal without echoing the password", async () => {
    // Python's pty module gives the child a real terminal; it types the password at each prompt.
    const driver = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
def read_until(marker):
    global out
    while marker not in out:
        out += os.read(fd, 1024)
read_until(b"Password: ")
os.write(fd, b"typed secret\\r")
read_until(b"(again): ")
os.write(fd, b"typed secret\\r")
try:
    while True:
        chunk = os.read(fd, 1024)
        if not chunk:
            break
        out += chunk
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode())
sys.exit(os.waitstatus_to_exitcode(status))
`;
    const result = spawnSync(
      "python3",
      [
        "-c",
        driver,
        process.execPath,
        BIN,
        "createuser",
        "--username",
        "tty",
        "--database",
        database,
      ],
      { encoding: "utf8" },
    );
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /Created user "tty"/);
    assert.doesNotMatch(result.stdout, /typed secret/);
    assert.equal(
      await new Passwords().verify("typed secret", (await stored("tty"))?.passwordHash ?? ""),
      true,
    );
  });
});
