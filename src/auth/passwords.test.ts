import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import { Passwords } from "./passwords.js";
import { Pbkdf2Sha256Hasher } from "./pbkdf2-sha256-hasher.js";
import { ScryptHasher } from "./scrypt-hasher.js";

const DJANGO_HASH = "pbkdf2_sha256$1000$seasalt$JgZryXe2Ga8ysg6XbzkLpTdyPQrHqsinbL9BnnhgX4A=";

describe("Passwords", () => {
  const passwords = new Passwords({
    hashers: [new ScryptHasher({ N: 1024 }), new Pbkdf2Sha256Hasher({ iterations: 1000 })],
  });

  it("hashes with the first hasher and verifies the result", async () => {
    const encoded = await passwords.hash("pw");
    assert.match(encoded, /^scrypt\$N=1024,r=8,p=1\$/);
    assert.equal(await passwords.verify("pw", encoded), true);
    assert.equal(passwords.mustUpdate(encoded), false);
  });

  it("picks the hasher by prefix and asks to upgrade hashes of a non-preferred hasher", async () => {
    assert.equal(await passwords.verify("lètmein", DJANGO_HASH), true);
    assert.equal(passwords.mustUpdate(DJANGO_HASH), true);
  });

  it("never verifies an unusable password, not even its own text", async () => {
    const unusable = passwords.unusable();
    assert.equal(passwords.isUsable(unusable), false);
    assert.equal(await passwords.verify(unusable, unusable), false);
    assert.equal(await passwords.verify("", unusable), false);
    assert.equal(await passwords.verify("lètmein", `!${DJANGO_HASH}`), false);
    assert.equal(passwords.mustUpdate(unusable), false);
    assert.notEqual(passwords.unusable(), unusable);
  });

  it("rejects hashes of an algorithm it was not given", async () => {
    const scryptOnly = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
    assert.equal(await scryptOnly.verify("lètmein", DJANGO_HASH), false);
    assert.equal(await scryptOnly.verify("x", "plain"), false);
  });

  it("needs at least one hasher", () => {
    assert.throws(() => new Passwords({ hashers: [] }), ImproperlyConfigured);
  });
});
