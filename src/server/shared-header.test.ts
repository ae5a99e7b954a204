import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HeaderPairs } from "./shared-header.js";

describe("HeaderPairs", () => {
  test("shares one frozen pair between connections sending the same recurring header", () => {
    const pairs = new HeaderPairs();
    const first = pairs.pair("user-agent", "Mozilla/5.0 (X11; Linux x86_64)");
    const second = pairs.pair("user-agent", "Mozilla/5.0 (X11; Linux x86_64)");
    assert.equal(first, second);
    assert.ok(Object.isFrozen(first));
    assert.deepEqual(first, ["user-agent", "Mozilla/5.0 (X11; Linux x86_64)"]);
  });

  test("gives per-client headers a pair of their own", () => {
    const pairs = new HeaderPairs();
    const first = pairs.pair("cookie", "sessionid=abc");
    const second = pairs.pair("cookie", "sessionid=abc");
    assert.notEqual(first, second);
    assert.deepEqual(first, second);
  });

  test("keeps answering correctly once a header's table has been emptied", () => {
    const pairs = new HeaderPairs();
    for (let i = 0; i < 200; i++)
      assert.deepEqual(pairs.pair("origin", `https://${i}.example`), [
        "origin",
        `https://${i}.example`,
      ]);
  });

  test("keeps each server's pairs apart", () => {
    const pair = new HeaderPairs().pair("host", "example.com");
    assert.notEqual(new HeaderPairs().pair("host", "example.com"), pair);
  });
});
