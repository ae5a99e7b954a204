import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SqliteDatabase } from "../stores/sqlite-database.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import type { AuthBackend } from "./auth-backend.js";
import { authenticate } from "./authenticate.js";
import { ModelBackend } from "./model-backend.js";
import type { PasswordHasher } from "./password-hasher.js";
import { Passwords } from "./passwords.js";
import { Pbkdf2Sha256Hasher } from "./pbkdf2-sha256-hasher.js";
import { ScryptHasher } from "./scrypt-hasher.js";

/** A real scrypt hasher that counts how often it hashes, to see work done for unknown users. */
class CountingHasher extends ScryptHasher {
  encodes = 0;
  override encode(password: string, salt?: string): Promise<string> {
    this.encodes++;
    return super.encode(password, salt);
  }
}

describe("ModelBackend", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  const hasher = new CountingHasher({ N: 1024 });
  const passwords = new Passwords({
    hashers: [hasher, new Pbkdf2Sha256Hasher({ iterations: 1000 }) satisfies PasswordHasher],
  });
  const backend = new ModelBackend({ users, passwords });
  before(() => users.migrate());
  after(() => db.close());

  it("returns the user whose username and password match", async () => {
    const ada = await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
    const found = await backend.authenticate({ username: "ada", password: "pw" });
    assert.equal(found?.id, ada.id);
  });

  it("returns null for a wrong password, another username's case, or missing fields", async () => {
    await users.create({ username: "bob", passwordHash: await passwords.hash("pw") });
    assert.equal(await backend.authenticate({ username: "bob", password: "PW" }), null);
    assert.equal(await backend.authenticate({ username: "Bob", password: "pw" }), null);
    assert.equal(await backend.authenticate({ username: "bob" }), null);
    assert.equal(await backend.authenticate({ username: "bob", password: 1 }), null);
  });

  it("still hashes the password when the username is unknown, so timing does not reveal it", async () => {
    const before = hasher.encodes;
    assert.equal(await backend.authenticate({ username: "nobody", password: "pw" }), null);
    assert.equal(hasher.encodes, before + 1);
  });

  it("never lets an inactive user or an unusable password log in", async () => {
    await users.create({
      username: "gone",
      passwordHash: await passwords.hash("pw"),
      isActive: false,
    });
    await users.create({ username: "nopw", passwordHash: passwords.unusable() });
    assert.equal(await backend.authenticate({ username: "gone", password: "pw" }), null);
    const before = hasher.encodes;
    assert.equal(await backend.authenticate({ username: "nopw", password: "" }), null);
    assert.equal(hasher.encodes, before + 1);
  });

  it("upgrades a Django pbkdf2_sha256 hash to scrypt on a successful login", async () => {
    const django = "pbkdf2_sha256$1000$seasalt$JgZryXe2Ga8ysg6XbzkLpTdyPQrHqsinbL9BnnhgX4A=";
    const imported = await users.create({ username: "imported", passwordHash: django });
    const user = await backend.authenticate({ username: "imported", password: "lètmein" });
    assert.match(user?.passwordHash ?? "", /^scrypt\$N=1024,/);
    const stored = await users.getById(imported.id);
    assert.equal(stored?.passwordHash, user?.passwordHash);
    assert.equal(await passwords.verify("lètmein", stored?.passwordHash ?? ""), true);
  });

  it("leaves a current hash alone", async () => {
    const hash = await passwords.hash("pw");
    const user = await users.create({ username: "current", passwordHash: hash });
    await backend.authenticate({ username: "current", password: "pw" });
    assert.equal((await users.getById(user.id))?.passwordHash, hash);
  });

  it("gets active users by id string and nothing for inactive users or malformed ids", async () => {
    const ada = await users.getByUsername("ada");
    assert.equal((await backend.getUser(String(ada?.id)))?.username, "ada");
    const gone = await users.getByUsername("gone");
    assert.equal(await backend.getUser(String(gone?.id)), null);
    for (const id of ["", "0", "-1", "1.5", "1e3", "01", "abc", "99999999999999999999"]) {
      assert.equal(await backend.getUser(id), null, id);
    }
  });

  it("records the login time", async () => {
    const ada = await users.getByUsername("ada");
    const when = new Date("2026-05-05T05:05:05.005Z");
    await backend.recordLogin(ada!, when);
    assert.equal((await users.getById(ada!.id))?.lastLogin?.toISOString(), when.toISOString());
  });
});

describe("authenticate", () => {
  const db = new SqliteDatabase(":memory:");
  const users = new SqlUserStore(db);
  const passwords = new Passwords({ hashers: [new ScryptHasher({ N: 1024 })] });
  const first = new ModelBackend({ users, passwords, name: "first" });
  const pins: AuthBackend = {
    name: "pin",
    authenticate: async ({ pin }) => (pin === "1234" ? users.getByUsername("ada") : null),
    getUser: (id) => users.getById(Number(id)),
  };
  before(async () => {
    await users.migrate();
    await users.create({ username: "ada", passwordHash: await passwords.hash("pw") });
  });
  after(() => db.close());

  it("returns the first backend's user, marked with that backend's name", async () => {
    const user = await authenticate({ username: "ada", password: "pw" }, [first, pins]);
    assert.equal(user?.username, "ada");
    assert.equal(user?.backend, "first");
  });

  it("falls through to later backends", async () => {
    assert.equal((await authenticate({ pin: "1234" }, [first, pins]))?.backend, "pin");
  });

  it("returns null when no backend accepts the credentials", async () => {
    assert.equal(await authenticate({ username: "ada", password: "no" }, [first, pins]), null);
    assert.equal(await authenticate({ username: "ada", password: "pw" }, []), null);
  });
});
