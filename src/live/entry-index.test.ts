import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { EntryIndex } from "./entry-index.js";

describe("EntryIndex", () => {
  const a = { name: "a" };
  const b = { name: "b" };
  const c = { name: "c" };

  test("holds one entry per key, then several, then one again, then none", () => {
    const index = new EntryIndex<{ name: string }>();
    index.add("k", a);
    assert.deepEqual(index.get("k"), [a]);
    index.add("k", b);
    index.add("k", c);
    assert.deepEqual(index.get("k"), [a, b, c]);
    assert.equal(index.count("k"), 3);
    index.delete("k", a);
    index.delete("k", c);
    assert.deepEqual(index.get("k"), [b]);
    assert.equal(index.count("k"), 1);
    index.delete("k", b);
    assert.deepEqual(index.get("k"), []);
    assert.equal(index.count("k"), 0);
    assert.deepEqual(index.all(), []);
  });

  test("adding an entry twice holds it once; deleting an absent one changes nothing", () => {
    const index = new EntryIndex<{ name: string }>();
    index.add("k", a);
    index.add("k", a);
    index.delete("k", b);
    index.delete("other", a);
    assert.deepEqual(index.get("k"), [a]);
  });

  test("all() lists every key's entries; get() is a copy that deleting does not change", () => {
    const index = new EntryIndex<{ name: string }>();
    index.add("one", a);
    index.add("two", b);
    index.add("two", c);
    assert.deepEqual(index.all(), [a, b, c]);
    const got = index.get("two");
    for (const entry of got) index.delete("two", entry);
    assert.deepEqual(got, [b, c]);
    assert.deepEqual(index.all(), [a]);
  });
});
