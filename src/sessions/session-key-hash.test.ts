import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { newSessionKey } from "./session-key.js";
import { sessionKeyHash } from "./session-key-hash.js";

describe("sessionKeyHash", () => {
  test("is the SHA-256 of the key as 64 hex characters, the same on every call", async () => {
    assert.equal(
      sessionKeyHash("abc"),
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    const key = await newSessionKey();
    assert.match(sessionKeyHash(key), /^[0-9a-f]{64}$/);
    assert.equal(sessionKeyHash(key), sessionKeyHash(key));
    assert.notEqual(sessionKeyHash(key), sessionKeyHash(await newSessionKey()));
  });
});
