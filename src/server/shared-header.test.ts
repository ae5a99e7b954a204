import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { headerPair } from "./shared-header.js";

describe("headerPair", () => {
  test("shares one frozen pair between connections sending the same recurring header", () => {
    const first = headerPair("user-agent", "Mozilla/5.0 (X11; Linux x86_64)");
    const second = headerPair("user-agent", "Mozilla/5.0 (X11; Linux x86_64)");
    assert.equal(first, second);
    assert.ok(Object.isFrozen(first));
    assert.deepEqual(first, ["user-agent", "Mozilla/5.0 (X11; Linux x86_64)"]);
  });

  test("gives per-client headers a pair of their own", () => {
    const first = headerPair("cookie", "sessionid=abc");
    const second = headerPair("cookie", "sessionid=abc");
    assert.notEqual(first, second);
    assert.deepEqual(first, second);
  });

  test("keeps answering correctly once a header's table has been emptied", () => {
    for (let i = 0; i < 200; i++)
      assert.deepEqual(headerPair("origin", `https://${i}.example`), [
        "origin",
        `https://${i}.example`,
      ]);
  });
});
