import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const BIN = join(ROOT, "bin/switchboard.js");
const TEMPLATE = join(ROOT, "templates/init");
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }
).version;

const parent = mkdtempSync(join(tmpdir(), "switchboard-init-"));
after(() => rmSync(parent, { recursive: true, force: true }));

const init = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, "init", ...args], { cwd: parent, encoding: "utf8" });

const read = (dir: string, file: string) => readFileSync(join(parent, dir, file), "utf8");

/** The `.env` a project was given, as variables. */
function envOf(dir: string): Record<string, string> {
  const lines = read(dir, ".env")
    .split("\n")
    .filter((line) => /^\w+=/.test(line));
  return Object.fromEntries(lines.map((line) => line.split(/=(.*)/s).slice(0, 2)));
}

describe("switchboard init", () => {
  test("writes the project into a new directory and prints the next steps", () => {
    const result = init("my-app");
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(readdirSync(join(parent, "my-app")).sort(), [
      ".env",
      ".gitignore",
      "README.md",
      "app.ts",
      "package.json",
      "tsconfig.json",
    ]);
    for (const file of ["app.ts", "tsconfig.json", "README.md"]) {
      assert.equal(read("my-app", file), readFileSync(join(TEMPLATE, file), "utf8"), file);
    }
    assert.deepEqual(read("my-app", ".gitignore").split("\n").filter(Boolean), [
      "node_modules/",
      ".env",
      "*.sqlite3",
      "*.sqlite3-*",
    ]);
    for (const step of ["cd my-app", "npm install", "npm start", "createuser --username"]) {
      assert.ok(result.stdout.includes(step), `${step} in:\n${result.stdout}`);
    }
  });

  test("package.json is an ES module package depending on this version, started by npm start", () => {
    const project = JSON.parse(read("my-app", "package.json")) as {
      name: string;
      type: string;
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    assert.equal(project.name, "my-app");
    assert.equal(project.type, "module");
    assert.deepEqual(project.dependencies, { switchboard: `^${VERSION}` });
    assert.equal(project.scripts.start, "switchboard migrate && switchboard serve app.ts");
  });

  test(".env holds a random secret long enough for the auth stack, readable by its owner only", () => {
    assert.equal(init("other-app").status, 0);
    const [mine, other] = [envOf("my-app"), envOf("other-app")];
    assert.match(mine.SWITCHBOARD_SECRET_KEY ?? "", /^[\w-]{43}$/);
    assert.notEqual(mine.SWITCHBOARD_SECRET_KEY, other.SWITCHBOARD_SECRET_KEY);
    assert.equal(mine.SWITCHBOARD_DB, "./switchboard.sqlite3");
    assert.equal(statSync(join(parent, "my-app", ".env")).mode & 0o777, 0o600);
  });

  test("writes into an empty directory and names the package after it", () => {
    mkdirSync(join(parent, "My Empty App"));
    const result = init("My Empty App");
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /cd "My Empty App"/);
    assert.equal(
      (JSON.parse(read("My Empty App", "package.json")) as { name: string }).name,
      "my-empty-app",
    );
  });

  test("makes the missing parent directories", () => {
    const result = init("nested/parents/app");
    assert.equal(result.status, 0, result.stderr);
    assert.ok(readdirSync(join(parent, "nested/parents/app")).includes("app.ts"));
  });

  test("refuses a directory that is not empty with one line, and writes nothing", () => {
    mkdirSync(join(parent, "taken"));
    writeFileSync(join(parent, "taken", "notes.txt"), "mine");
    const result = init("taken");
    assert.equal(result.status, 1);
    assert.equal(
      result.stderr.trim(),
      "taken is not empty (notes.txt): init writes only into a new or empty directory, so name another one.",
    );
    assert.deepEqual(readdirSync(join(parent, "taken")), ["notes.txt"]);
  });

  test("refuses a file with one line", () => {
    writeFileSync(join(parent, "a-file"), "");
    const result = init("a-file");
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), "a-file is a file: name a new or empty directory.");
  });

  test("without exactly one directory prints the usage and exits 2", () => {
    for (const args of [[], ["one", "two"], ["--port", "1"]]) {
      const result = init(...args);
      assert.equal(result.status, 2, args.join(" "));
      assert.match(result.stderr, /Usage: switchboard init <directory>/);
    }
  });
});
