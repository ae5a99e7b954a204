// One contract for every PasswordHasher, plus known-answer vectors computed with Python's
// hashlib (see the comments beside each) so the encodings match other implementations exactly.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ImproperlyConfigured } from "../errors.js";
import type { PasswordHasher } from "./password-hasher.js";
import { Pbkdf2Sha256Hasher } from "./pbkdf2-sha256-hasher.js";
import { ScryptHasher } from "./scrypt-hasher.js";

const HASHERS: Record<string, { make: () => PasswordHasher; stronger: () => PasswordHasher }> = {
  scrypt: {
    make: () => new ScryptHasher({ N: 1024 }),
    stronger: () => new ScryptHasher({ N: 2048 }),
  },
  pbkdf2_sha256: {
    make: () => new Pbkdf2Sha256Hasher({ iterations: 1000 }),
    stronger: () => new Pbkdf2Sha256Hasher({ iterations: 2000 }),
  },
};

/** Flips one character in the middle of the hash part, keeping valid base64. */
function tamper(encoded: string): string {
  const at = encoded.lastIndexOf("$") + 10;
  return encoded.slice(0, at) + (encoded[at] === "A" ? "B" : "A") + encoded.slice(at + 1);
}

for (const [name, { make, stronger }] of Object.entries(HASHERS)) {
  describe(`PasswordHasher contract: ${name}`, () => {
    const hasher = make();

    it("verifies the password it encoded and rejects another", async () => {
      const encoded = await hasher.encode("correct horse");
      assert.ok(encoded.startsWith(`${name}$`));
      assert.equal(await hasher.verify("correct horse", encoded), true);
      assert.equal(await hasher.verify("correct horsf", encoded), false);
      assert.equal(await hasher.verify("", encoded), false);
    });

    it("salts every hash differently", async () => {
      const [a, b] = await Promise.all([hasher.encode("same"), hasher.encode("same")]);
      assert.notEqual(a, b);
    });

    it("handles non-ASCII passwords as UTF-8", async () => {
      const encoded = await hasher.encode("pässwörd ✓");
      assert.equal(await hasher.verify("pässwörd ✓", encoded), true);
      assert.equal(await hasher.verify("passwort ✓", encoded), false);
    });

    it("rejects malformed, truncated, unusable and foreign hashes without throwing", async () => {
      const encoded = await hasher.encode("pw");
      for (const bad of [
        "",
        "!",
        `!${encoded}`,
        encoded.slice(0, encoded.lastIndexOf("$")),
        tamper(encoded),
        encoded.replace(`${name}$`, "md5$"),
        `${encoded}$extra`,
        "pbkdf2_sha256$abc$salt$hash",
        "scrypt$N=1000,r=8,p=1$salt$aGFzaGhhc2hoYXNoaGFzaA==",
      ]) {
        assert.equal(await hasher.verify("pw", bad), false, bad);
      }
    });

    it("asks for a rehash only when the parameters changed", async () => {
      const encoded = await hasher.encode("pw");
      assert.equal(hasher.mustUpdate(encoded), false);
      assert.equal(stronger().mustUpdate(encoded), true);
      assert.equal(await stronger().verify("pw", encoded), true);
    });

    it("refuses a salt containing the separator", async () => {
      await assert.rejects(hasher.encode("pw", "a$b"), ImproperlyConfigured);
    });
  });
}

describe("Pbkdf2Sha256Hasher", () => {
  // python3 -c "import hashlib,base64;print(base64.b64encode(hashlib.pbkdf2_hmac('sha256',
  //   PASSWORD.encode(), SALT.encode(), ITERATIONS)).decode())"
  const VECTORS = [
    ["lètmein", "pbkdf2_sha256$1000$seasalt$JgZryXe2Ga8ysg6XbzkLpTdyPQrHqsinbL9BnnhgX4A="],
    [
      "hunter2",
      "pbkdf2_sha256$260000$wA1uXeBRzqVXbx5uBAZy9n$r1rXwUWrGO0mQ+xyb4521B/C4pZfi3uLowjD1o0Jy3w=",
    ],
    ["", "pbkdf2_sha256$1$abc$+4ekwDhI5b0Upfxo08lwOCL+829XYFT4pi8TlwakJ/Y="],
  ] as const;

  it("produces Django's exact encoding", async () => {
    assert.equal(
      await new Pbkdf2Sha256Hasher({ iterations: 1000 }).encode("lètmein", "seasalt"),
      VECTORS[0][1],
    );
    assert.equal(await new Pbkdf2Sha256Hasher({ iterations: 1 }).encode("", "abc"), VECTORS[2][1]);
  });

  it("verifies hashes Django made, whatever their iteration count", async () => {
    const hasher = new Pbkdf2Sha256Hasher({ iterations: 1000 });
    for (const [password, encoded] of VECTORS) {
      assert.equal(await hasher.verify(password, encoded), true, encoded);
      assert.equal(await hasher.verify(`${password}x`, encoded), false, encoded);
    }
  });

  it("defaults to Django 5.2's 1,000,000 iterations", () => {
    const hasher = new Pbkdf2Sha256Hasher();
    assert.equal(
      hasher.mustUpdate("pbkdf2_sha256$1000000$s$JgZryXe2Ga8ysg6XbzkLpTdyPQrHqsinbL9BnnhgX4A="),
      false,
    );
    assert.equal(hasher.mustUpdate(VECTORS[1][1]), true);
  });

  it("refuses an iteration count outside 1..100,000,000", () => {
    assert.throws(() => new Pbkdf2Sha256Hasher({ iterations: 0 }), ImproperlyConfigured);
    assert.throws(() => new Pbkdf2Sha256Hasher({ iterations: 1.5 }), ImproperlyConfigured);
  });
});

describe("ScryptHasher", () => {
  // python3 -c "import hashlib,base64;print(base64.b64encode(hashlib.scrypt(b'correct horse',
  //   salt=b'NaClsaltsalt', n=1024, r=8, p=1, dklen=64)).decode())"
  const VECTOR =
    "scrypt$N=1024,r=8,p=1$NaClsaltsalt$T0uKC9M7Q6YVt05UyCKSPo0sSjO5fgQJqFahBbgSKxKKgeK01CXh5k6KqJPRvOY0d1ccgzIXcNTPUfk8ftIP8Q==";

  it("encodes as scrypt$N=..,r=..,p=..$salt$hash with the standard scrypt output", async () => {
    assert.equal(
      await new ScryptHasher({ N: 1024 }).encode("correct horse", "NaClsaltsalt"),
      VECTOR,
    );
  });

  it("verifies a hash made with other parameters and flags it for a rehash", async () => {
    const hasher = new ScryptHasher({ N: 2048, r: 4 });
    assert.equal(await hasher.verify("correct horse", VECTOR), true);
    assert.equal(hasher.mustUpdate(VECTOR), true);
    assert.equal(new ScryptHasher({ N: 1024 }).mustUpdate(VECTOR), false);
  });

  it("verifies Django's scrypt encoding and flags it for a rehash into its own", async () => {
    // python3 -c "import hashlib,base64;print(base64.b64encode(hashlib.scrypt(b'django pw',
    //   salt=b'Qq2UTlYbr9jDqgTEzpWyGd', n=2**14, r=8, p=5, maxmem=0, dklen=64)).decode())"
    const django =
      "scrypt$16384$Qq2UTlYbr9jDqgTEzpWyGd$8$5$s0zNAWTYxRWbSs1PPlID8Fq31dKcG+f5bPIkidO/KJhxVD1affgUl9JeqCrtFy/dr+pc4WBw/LAH6WErwNkPbA==";
    const hasher = new ScryptHasher({ N: 2 ** 14, r: 8, p: 5 });
    assert.equal(await hasher.verify("django pw", django), true);
    assert.equal(await hasher.verify("django pw!", django), false);
    assert.equal(hasher.mustUpdate(django), true);
  });

  it("hashes on the thread pool: the event loop turns while the default cost runs", async () => {
    let turned = false;
    setImmediate(() => (turned = true));
    await new ScryptHasher().encode("pw");
    assert.equal(turned, true);
  });

  it("refuses a cost that is not a power of two", () => {
    assert.throws(() => new ScryptHasher({ N: 1000 }), /power of two/);
  });
});
