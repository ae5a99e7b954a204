import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import * as errors from "../../src/errors.js";

const table = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");

it("docs > docs/errors.md lists every error class with its code, close code and status", () => {
  const classes = Object.values(errors).filter(
    (value): value is typeof errors.SwitchboardError =>
      typeof value === "function" &&
      (value === errors.SwitchboardError || value.prototype instanceof errors.SwitchboardError),
  );
  assert.ok(classes.length > 10);
  for (const ErrorClass of classes) {
    const sample = new ErrorClass("sample");
    const row = `| \`${ErrorClass.name}\` | \`${sample.code}\` | ${sample.closeCode} | ${sample.status} |`;
    assert.ok(table.includes(row), `docs/errors.md has no row starting ${row}`);
  }
});
