import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ExpiryWheel } from "./expiry-wheel.js";

describe("ExpiryWheel", () => {
  test("gives an item once its instant passed, late by less than the granularity, never early", () => {
    const wheel = new ExpiryWheel<string>(100, 1000);
    wheel.add("a", 1250);
    assert.deepEqual(wheel.takeDue(1250), []);
    assert.deepEqual(wheel.takeDue(1299), []);
    assert.deepEqual(wheel.takeDue(1300), ["a"]);
    assert.deepEqual(wheel.takeDue(5000), [], "taken once");
  });

  test("puts an instant already passed in the next bucket", () => {
    const wheel = new ExpiryWheel<string>(100, 1000);
    wheel.takeDue(1500);
    wheel.add("late", 900);
    assert.deepEqual(wheel.takeDue(1600), ["late"]);
  });

  test("replaces an item's schedule and forgets a deleted one", () => {
    const wheel = new ExpiryWheel<string>(100, 0);
    wheel.add("moved", 100);
    wheel.add("moved", 900);
    wheel.add("gone", 100);
    wheel.delete("gone");
    assert.deepEqual(wheel.takeDue(500), []);
    assert.deepEqual(wheel.takeDue(1000), ["moved"]);
  });
});
