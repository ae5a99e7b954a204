// The UserStore contract, run against every implementation. Filter with STORES=sqlite,postgres.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { storeSelected, TEST_DATABASES, type TestDatabase } from "../../test/support/databases.js";
import { ImproperlyConfigured, UsernameTaken } from "../errors.js";
import { SqlUserStore } from "./sql-user-store.js";
import type { UserStore } from "./user-store.js";

for (const [name, kind] of Object.entries(TEST_DATABASES)) {
  if (!storeSelected(name)) continue;
  describe(`UserStore contract: ${name}`, { skip: await kind.skip() }, () => {
    let database: TestDatabase;
    let users: UserStore;
    before(async () => {
      database = await kind.open("users");
      users = new SqlUserStore(database.db);
      await users.migrate();
    });
    after(() => database.dispose());

    it("migrates again without error or data loss", async () => {
      const kept = await users.create({ username: "kept", passwordHash: "!x" });
      await users.migrate();
      assert.equal((await users.getById(kept.id))?.username, "kept");
    });

    it("creates an active, non-staff user joined now with no last login", async () => {
      const before = Date.now();
      const ada = await users.create({ username: "ada", passwordHash: "scrypt$hash" });
      assert.equal(typeof ada.id, "number");
      assert.equal(ada.username, "ada");
      assert.equal(ada.passwordHash, "scrypt$hash");
      assert.deepEqual([ada.isActive, ada.isStaff, ada.isSuperuser], [true, false, false]);
      assert.equal(ada.lastLogin, null);
      assert.ok(
        ada.dateJoined.getTime() >= before - 1000 && ada.dateJoined.getTime() <= Date.now(),
      );
      assert.equal(ada.isAuthenticated, true);
      assert.equal(ada.isAnonymous, false);
    });

    it("stores the flags it is given and reads them back as booleans", async () => {
      const root = await users.create({
        username: "root",
        passwordHash: "h",
        isActive: false,
        isStaff: true,
        isSuperuser: true,
        dateJoined: new Date("2020-02-29T12:34:56.789Z"),
      });
      const read = await users.getById(root.id);
      assert.deepEqual([read?.isActive, read?.isStaff, read?.isSuperuser], [false, true, true]);
      assert.equal(read?.dateJoined.toISOString(), "2020-02-29T12:34:56.789Z");
    });

    it("finds users by id and by exact username", async () => {
      const grace = await users.create({ username: "grace ✓", passwordHash: "h" });
      assert.equal((await users.getById(grace.id))?.username, "grace ✓");
      assert.equal((await users.getByUsername("grace ✓"))?.id, grace.id);
      assert.equal(await users.getByUsername("nobody"), null);
      assert.equal(await users.getById(987654), null);
      assert.equal(await users.getById(Number.NaN), null);
    });

    it("treats usernames case-sensitively, like Django", async () => {
      const lower = await users.create({ username: "linus", passwordHash: "h" });
      const upper = await users.create({ username: "Linus", passwordHash: "h" });
      assert.notEqual(lower.id, upper.id);
      assert.equal(await users.getByUsername("LINUS"), null);
    });

    it("refuses a duplicate username with UsernameTaken and keeps the first user", async () => {
      const first = await users.create({ username: "dup", passwordHash: "first" });
      await assert.rejects(users.create({ username: "dup", passwordHash: "second" }), (error) => {
        assert.ok(error instanceof UsernameTaken);
        assert.equal(error.code, "USERNAME_TAKEN");
        assert.match(error.message, /"dup" already exists/);
        return true;
      });
      assert.equal((await users.getById(first.id))?.passwordHash, "first");
    });

    it("refuses an empty username", async () => {
      await assert.rejects(users.create({ username: "", passwordHash: "h" }), ImproperlyConfigured);
    });

    it("updates only the given fields and returns the new user", async () => {
      const user = await users.create({ username: "upd", passwordHash: "old" });
      const updated = await users.update(user.id, { passwordHash: "new", isStaff: true });
      assert.equal(updated?.passwordHash, "new");
      assert.equal(updated?.isStaff, true);
      assert.equal(updated?.isActive, true);
      assert.equal((await users.getById(user.id))?.passwordHash, "new");
      const deactivated = await users.update(user.id, { isActive: false });
      assert.deepEqual([deactivated?.isActive, deactivated?.isStaff], [false, true]);
      assert.equal((await users.update(user.id, {}))?.passwordHash, "new");
    });

    it("returns null when updating a user that does not exist", async () => {
      assert.equal(await users.update(424242, { isActive: false }), null);
    });

    it("deletes a user by id and says whether one was there", async () => {
      const gone = await users.create({ username: "gone", passwordHash: "h" });
      const kept = await users.create({ username: "stays", passwordHash: "h" });
      assert.equal(await users.delete(gone.id), true);
      assert.equal(await users.getById(gone.id), null);
      assert.equal(await users.getByUsername("gone"), null);
      assert.equal(await users.delete(gone.id), false);
      assert.equal((await users.getById(kept.id))?.username, "stays");
    });

    it("records the last login to the millisecond", async () => {
      const user = await users.create({ username: "seen", passwordHash: "h" });
      const when = new Date("2026-01-02T03:04:05.678Z");
      await users.setLastLogin(user.id, when);
      assert.equal((await users.getById(user.id))?.lastLogin?.toISOString(), when.toISOString());
      await users.setLastLogin(999999, when);
    });
  });
}
