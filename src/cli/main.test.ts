import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { commands, helpText } from "./main.js";

const BIN = fileURLToPath(new URL("../../bin/switchboard.js", import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8" });

describe("switchboard CLI", () => {
  test("--help lists every command with its summary and exits 0", () => {
    const result = run("--help");
    assert.equal(result.status, 0, result.stderr);
    for (const [name, entry] of Object.entries(commands)) {
      assert.match(
        result.stdout,
        new RegExp(`^  ${name} +${entry.summary.replace(/[()]/g, "\\$&")}$`, "m"),
      );
    }
  });

  test("an unknown command names the known ones and exits 2", () => {
    const result = run("servr");
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Unknown command "servr"\. Commands: init, serve, /);
  });

  test("no command prints the help on stderr and exits 2", () => {
    const result = run();
    assert.equal(result.status, 2);
    assert.equal(result.stderr.trim(), helpText());
  });

  test("every command loads to a function", async () => {
    for (const entry of Object.values(commands))
      assert.equal(typeof (await entry.load()), "function");
  });
});
