import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import {
  rememberSessionAuthHashes,
  sessionAuthHash,
  sessionAuthHashMatches,
} from "./session-auth-hash.js";

const SECRET = "test-secret-0123456789abcdefghijklmnop";

/** The HMAC made by hand, as the hash must always be, whatever is remembered. */
function expected(passwordHash: string, secretKey: string): string {
  return createHmac("sha256", secretKey)
    .update("switchboard.auth.sessionAuthHash\0")
    .update(passwordHash)
    .digest("hex");
}

describe("sessionAuthHash", () => {
  it("is the HMAC of the password hash, the first time and every time after", () => {
    const user = { passwordHash: "scrypt$N=1024,r=8,p=1$salt$first" };
    assert.equal(sessionAuthHash(user, SECRET), expected(user.passwordHash, SECRET));
    assert.equal(sessionAuthHash(user, SECRET), expected(user.passwordHash, SECRET));
  });

  it("changes with the password hash and with the secret key", () => {
    const before = { passwordHash: "scrypt$N=1024,r=8,p=1$salt$before" };
    const after = { passwordHash: "scrypt$N=1024,r=8,p=1$salt$after" };
    const remembered = sessionAuthHash(before, SECRET);
    assert.equal(sessionAuthHash(after, SECRET), expected(after.passwordHash, SECRET));
    assert.notEqual(sessionAuthHash(after, SECRET), remembered);
    assert.equal(
      sessionAuthHash(before, `${SECRET}-other`),
      expected(before.passwordHash, `${SECRET}-other`),
    );
  });
});

describe("rememberSessionAuthHashes", () => {
  it("gives sessionAuthHash's hash, first and remembered, and a new one for a new password", () => {
    const hashFor = rememberSessionAuthHashes(SECRET);
    const before = { passwordHash: "scrypt$N=1024,r=8,p=1$salt$before" };
    const after = { passwordHash: "scrypt$N=1024,r=8,p=1$salt$after" };
    assert.equal(hashFor(before), expected(before.passwordHash, SECRET));
    assert.equal(hashFor(before), expected(before.passwordHash, SECRET));
    assert.equal(hashFor(after), expected(after.passwordHash, SECRET));
  });

  it("keeps each secret key's hashes apart", () => {
    const user = { passwordHash: "scrypt$N=1024,r=8,p=1$salt$shared" };
    assert.equal(rememberSessionAuthHashes(SECRET)(user), expected(user.passwordHash, SECRET));
    const other = `${SECRET}-other`;
    assert.equal(rememberSessionAuthHashes(other)(user), expected(user.passwordHash, other));
  });

  it("stays right for more users than it remembers", () => {
    const hashFor = rememberSessionAuthHashes(SECRET);
    for (let user = 0; user < 6000; user++) hashFor({ passwordHash: `hash-${user}` });
    for (let user = 0; user < 6000; user += 97) {
      const passwordHash = `hash-${user}`;
      assert.equal(hashFor({ passwordHash }), expected(passwordHash, SECRET));
    }
  });
});

describe("sessionAuthHashMatches", () => {
  const user = { passwordHash: "scrypt$N=1024,r=8,p=1$salt$matches" };

  it("accepts the current hash and refuses any other value", () => {
    assert.equal(sessionAuthHashMatches(expected(user.passwordHash, SECRET), user, SECRET), true);
    assert.equal(sessionAuthHashMatches(expected("another", SECRET), user, SECRET), false);
    assert.equal(sessionAuthHashMatches(expected(user.passwordHash, "other"), user, SECRET), false);
    assert.equal(sessionAuthHashMatches("short", user, SECRET), false);
    assert.equal(sessionAuthHashMatches(undefined, user, SECRET), false);
    assert.equal(sessionAuthHashMatches(42, user, SECRET), false);
  });
});
