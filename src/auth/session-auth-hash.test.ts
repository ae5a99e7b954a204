import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { sessionAuthHash, sessionAuthHashMatches } from "./session-auth-hash.js";

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

  it("stays right for more users and secret keys than it remembers", () => {
    for (let secret = 0; secret < 20; secret++) {
      for (let user = 0; user < 300; user++) {
        const passwordHash = `hash-${user}`;
        sessionAuthHash({ passwordHash }, `secret-${secret}`);
      }
    }
    for (let user = 0; user < 5000; user += 97) {
      const passwordHash = `hash-${user}`;
      assert.equal(
        sessionAuthHash({ passwordHash }, "secret-3"),
        expected(passwordHash, "secret-3"),
      );
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
