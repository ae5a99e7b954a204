import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { reportError } from "./report-error.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/switchboard.js");
const STACK_LINE = /^ {4}at /m;

/** A project directory of its own: package.json as given, the files, nothing else. */
function project(packageJson: object, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-mistake-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify(packageJson));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// A password any password rules accept, for the commands that read one from stdin.
const PASSWORD = "tangerine-otter-lighthouse-42\n";
const run = (cwd: string, args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: "utf8", input: PASSWORD });

// The import a user's app.ts makes, pointed at this checkout's sources.
const SWITCHBOARD = JSON.stringify(join(ROOT, "src/index.ts"));
/** The app.ts `switchboard init` writes, importing this checkout. */
const INIT_APP = readFileSync(join(ROOT, "templates/init/app.ts"), "utf8").replace(
  'from "switchboard"',
  `from ${SWITCHBOARD}`,
);

const mistakes: { name: string; dir: () => string; args: string[]; says: RegExp }[] = [
  {
    name: "createuser before migrate",
    dir: () => project({}),
    args: ["createuser", "--username", "ada"],
    says: /has no Switchboard tables: run `switchboard migrate` first/,
  },
  {
    name: "a module path that does not exist",
    dir: () => project({ type: "module" }),
    args: ["serve", "./nope.ts"],
    says: /Cannot load \.\/nope\.ts: Cannot find module .*nope\.ts.*Check the path/,
  },
  {
    name: 'an app module in a package without "type": "module"',
    dir: () => project({}, { "app.ts": "export const application = async () => {};\n" }),
    args: ["serve", "app.ts"],
    says: /Cannot load app\.ts: .*add "type": "module" to your package\.json\./,
  },
  {
    name: "a project from switchboard init without its .env",
    dir: () => project({ type: "module" }, { "app.ts": INIT_APP }),
    args: ["serve", "app.ts"],
    says: /Cannot load app\.ts: SWITCHBOARD_SECRET_KEY is not set: run from the project directory \(its \.env sets it\)/,
  },
  {
    name: "a PostgreSQL server that refuses",
    dir: () => project({}),
    args: ["migrate", "--database", "postgres://nobody@127.0.0.1:1/none"],
    says: /Cannot reach the database postgres:\/\/nobody@127\.0\.0\.1:1\/none \(connect ECONNREFUSED/,
  },
  {
    name: "a Redis server that refuses",
    dir: () => {
      const dir = project({});
      assert.equal(run(dir, ["migrate"]).status, 0);
      assert.equal(run(dir, ["createuser", "--username", "ada"]).status, 0);
      return dir;
    },
    args: ["changepassword", "ada", "--redis", "redis://127.0.0.1:1"],
    says: /The change is saved, but Redis \(--redis\) cannot be reached \(connect ECONNREFUSED/,
  },
  {
    name: "a secret key that is too short",
    dir: () =>
      project(
        { type: "module" },
        {
          "app.ts": `import { authMiddleware } from ${SWITCHBOARD};
export const application = authMiddleware({ backends: [], secretKey: "short" })(async () => {});
`,
        },
      ),
    args: ["serve", "app.ts"],
    says: /Cannot load app\.ts: authMiddleware's secretKey must be a secret string of at least 32/,
  },
  {
    name: "serveOptions that cannot work",
    dir: () =>
      project(
        { type: "module" },
        {
          "app.ts": `export const application = async () => {};
export const serveOptions = { requestTimeoutMs: -1 };
`,
        },
      ),
    args: ["serve", "app.ts", "--port", "0"],
    says: /^(ImproperlyConfigured: )?serve\(\) option requestTimeoutMs must be an integer/,
  },
];

describe("switchboard CLI > a user's mistake", () => {
  for (const mistake of mistakes) {
    test(`${mistake.name}: one message saying what to do, exit 1, no stack`, () => {
      const result = run(mistake.dir(), mistake.args);
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, mistake.says);
      assert.equal(result.stderr.trim().split("\n").length, 1, result.stderr);
      assert.doesNotMatch(result.stderr, STACK_LINE);
      assert.doesNotMatch(result.stderr, /code: '|\[cause\]/);
    });

    test(`${mistake.name}: --verbose adds the stack`, () => {
      const result = run(mistake.dir(), ["--verbose", ...mistake.args]);
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, mistake.says);
      assert.match(result.stderr, STACK_LINE);
    });
  }

  for (const args of [["createuser", "--username", "ada"], ["clearsessions"]]) {
    test(`${args[0]} before migrate leaves no database file behind`, () => {
      const dir = project({});
      const result = run(dir, args);
      assert.equal(result.status, 1);
      assert.match(result.stderr, /run `switchboard migrate`/);
      assert.equal(existsSync(join(dir, "switchboard.sqlite3")), false);
    });
  }

  test("createuser before migrate keeps a database file that was there before", () => {
    const dir = project({});
    writeFileSync(join(dir, "switchboard.sqlite3"), "");
    assert.equal(run(dir, ["createuser", "--username", "ada"]).status, 1);
    assert.equal(existsSync(join(dir, "switchboard.sqlite3")), true);
  });
});

describe("reportError", () => {
  test("says an error that is no SwitchboardError is a bug, and prints its stack", (t) => {
    const lines: unknown[] = [];
    t.mock.method(console, "error", (...args: unknown[]) => lines.push(...args));
    reportError(new TypeError("x is undefined"), false);
    assert.match(String(lines[0]), /this is a bug in Switchboard/);
    assert.match((lines[1] as Error).stack ?? "", STACK_LINE);
  });
});
