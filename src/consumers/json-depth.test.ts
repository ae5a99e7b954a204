import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { fuzzRuns } from "../../test/support/fuzz.js";
import { nestsDeeperThan } from "./json-depth.js";

function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe("nestsDeeperThan", () => {
  test("agrees with the depth of the parsed value for any JSON text", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, limit) => {
        const text = JSON.stringify(value);
        assert.equal(nestsDeeperThan(text, limit), depthOf(value) > limit);
      }),
      fuzzRuns(500),
    );
  });

  test("counts no bracket inside a string, escaped quotes and backslashes included", () => {
    assert.equal(nestsDeeperThan('["[[[[", "\\"[[[[", "\\\\", [[]]]', 3), false);
    assert.equal(nestsDeeperThan('["\\\\", [[[]]]]', 3), true);
  });

  test("stops at the first level too many of a deep text", () => {
    assert.equal(nestsDeeperThan("[".repeat(5000) + "]".repeat(5000), 128), true);
    assert.equal(nestsDeeperThan("[".repeat(128) + "]".repeat(128), 128), false);
  });
});
