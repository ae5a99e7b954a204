import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CountingStore } from "../../test/support/sessions.js";
import { ImproperlyConfigured } from "../errors.js";
import { InMemorySessionStore } from "../stores/in-memory-session-store.js";
import { isSessionKey, newSessionKey } from "./session-key.js";
import { Session } from "./session.js";

async function savedSession(store: InMemorySessionStore, data: Record<string, number> = { n: 1 }) {
  const session = new Session(store);
  for (const [key, value] of Object.entries(data)) await session.set(key, value);
  await session.save();
  return session.sessionKey ?? "";
}

describe("newSessionKey", () => {
  test("makes 32 characters of [a-z0-9], different every time", async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const key = await newSessionKey();
      assert.match(key, /^[a-z0-9]{32}$/);
      keys.add(key);
    }
    assert.equal(keys.size, 200);
  });

  test("uses every character of the alphabet", async () => {
    let all = "";
    for (let i = 0; i < 100; i++) all += await newSessionKey();
    assert.equal(new Set(all).size, 36);
  });

  test("isSessionKey accepts only that shape", () => {
    assert.equal(isSessionKey("a".repeat(32)), true);
    for (const bad of ["", "a".repeat(31), "a".repeat(33), "A".repeat(32), `${"a".repeat(31)}-`]) {
      assert.equal(isSessionKey(bad), false, bad);
    }
  });
});

describe("Session", () => {
  test("touches nothing and is empty until used", async () => {
    const store = new CountingStore();
    const session = new Session(store, await savedSession(store));
    store.loads = 0;
    assert.equal(session.accessed, false);
    assert.equal(session.modified, false);
    assert.equal(session.isLoaded, false);
    assert.equal(store.loads, 0);
  });

  test("loads once however many reads run at the same time", async () => {
    const store = new CountingStore();
    const session = new Session(store, await savedSession(store, { a: 1, b: 2 }));
    store.loads = 0;
    const [a, b, keys] = await Promise.all([session.get("a"), session.get("b"), session.keys()]);
    assert.deepEqual([a, b, keys], [1, 2, ["a", "b"]]);
    assert.equal(store.loads, 1);
    assert.equal(session.accessed, true);
    assert.equal(session.modified, false);
  });

  test("a store that fails leaves the session unloaded, and the next read asks again", async () => {
    const store = new InMemorySessionStore();
    const key = await savedSession(store, { a: 1 });
    const answers: Array<() => ReturnType<InMemorySessionStore["load"]>> = [
      () => {
        throw new Error("thrown");
      },
      () => Promise.reject(new Error("rejected")),
    ];
    const failing = Object.assign(Object.create(store) as InMemorySessionStore, {
      load: (sessionKey: string) => answers.shift()?.() ?? store.load(sessionKey),
    });
    const session = new Session(failing, key);
    await assert.rejects(session.get("a"), /thrown/);
    assert.equal(session.isLoaded, false);
    await assert.rejects(session.get("a"), /rejected/);
    assert.equal(session.isLoaded, false);
    assert.equal(await session.get("a"), 1);
    assert.equal(session.sessionKey, key);
  });

  test("ignores forged and malformed keys without asking the store", async () => {
    const store = new CountingStore();
    for (const forged of ["", "short", "../../etc/passwd", "A".repeat(32), `${"a".repeat(31)}*`]) {
      const session = new Session(store, forged);
      assert.equal(session.sessionKey, null);
      assert.equal(await session.get("user"), undefined);
    }
    assert.equal(store.loads, 0);
  });

  test("an expired key gives an empty session without a key", async () => {
    const store = new InMemorySessionStore();
    const key = await newSessionKey();
    await store.save(key, '{"user":1}', new Date(Date.now() - 1000), true);
    const session = new Session(store, key);
    assert.deepEqual(await session.entries(), []);
    assert.equal(session.sessionKey, null);
    assert.equal(session.isEmpty, true);
  });

  test("corrupt stored data reads as an empty session that keeps its key", async () => {
    const store = new InMemorySessionStore();
    for (const corrupt of ["not json", "[1,2]", "null", '"text"']) {
      const key = await newSessionKey();
      await store.save(key, corrupt, new Date(Date.now() + 60_000), true);
      const session = new Session(store, key);
      assert.deepEqual(await session.keys(), [], corrupt);
      await session.set("fresh", true);
      await session.save();
      assert.equal(session.sessionKey, key);
    }
  });

  test("set, has, delete and entries track modified", async () => {
    const session = new Session(new InMemorySessionStore());
    await session.set("a", { nested: [1, "two"] });
    assert.equal(session.modified, true);
    assert.equal(await session.has("a"), true);
    assert.deepEqual(await session.entries(), [["a", { nested: [1, "two"] }]]);
    session.modified = false;
    assert.equal(await session.delete("missing"), false);
    assert.equal(session.modified, false);
    assert.equal(await session.delete("a"), true);
    assert.equal(session.modified, true);
    assert.equal(await session.has("a"), false);
  });

  test("reserves the expiry key for setExpiry", async () => {
    await assert.rejects(
      new Session(new InMemorySessionStore()).set("_session_expiry", 1),
      ImproperlyConfigured,
    );
  });

  test("isEmpty until it has data or a key", async () => {
    const store = new InMemorySessionStore();
    const session = new Session(store);
    assert.equal(session.isEmpty, true);
    await session.get("x");
    assert.equal(session.isEmpty, true);
    await session.set("x", 1);
    assert.equal(session.isEmpty, false);
    assert.equal(new Session(store, await newSessionKey()).isEmpty, false);
  });

  test("save gives a new session a fresh key and keeps it on later saves", async () => {
    const store = new InMemorySessionStore();
    const session = new Session(store);
    await session.set("n", 1);
    await session.save();
    const key = session.sessionKey;
    assert.ok(key !== null && isSessionKey(key));
    await session.set("n", 2);
    await session.save();
    assert.equal(session.sessionKey, key);
    assert.equal(await new Session(store, key).get("n"), 2);
  });

  test("flush empties the data, drops the key and deletes the stored session", async () => {
    const store = new InMemorySessionStore();
    const key = await savedSession(store);
    const session = new Session(store, key);
    await session.flush();
    assert.equal(session.sessionKey, null);
    assert.equal(session.isEmpty, true);
    assert.equal(session.modified, true);
    assert.deepEqual(await session.keys(), []);
    assert.equal(await store.exists(key), false);
  });

  test("flush while a load is in flight wins over the loaded data", async () => {
    const store = new InMemorySessionStore();
    const session = new Session(store, await savedSession(store, { user: 1 }));
    const loading = session.load();
    await session.flush();
    await loading;
    assert.equal(await session.get("user"), undefined);
  });

  test("cycleKey on a session without a key creates one and keeps the data", async () => {
    const store = new InMemorySessionStore();
    const session = new Session(store);
    await session.set("user", 1);
    await session.cycleKey();
    assert.ok(session.sessionKey !== null);
    assert.equal(await new Session(store, session.sessionKey).get("user"), 1);
  });
});

describe("Session.storedValue", () => {
  test("reads a value as the store holds it now, leaving the loaded data as it is", async () => {
    const store = new InMemorySessionStore();
    const key = await savedSession(store, { n: 1 });
    const mine = new Session(store, key);
    assert.equal(await mine.get("n"), 1);
    const theirs = new Session(store, key);
    await theirs.set("n", 2);
    await theirs.save();
    assert.equal(await mine.storedValue("n"), 2);
    assert.equal(await mine.get("n"), 1);
    assert.equal(await mine.storedValue("missing"), undefined);
    await theirs.flush();
    assert.equal(await mine.storedValue("n"), undefined);
    assert.equal(await new Session(store).storedValue("n"), undefined);
  });
});

describe("Session expiry", () => {
  test("defaults to maxAge, not at browser close", async () => {
    const session = new Session(new InMemorySessionStore(), null, { maxAge: 600 });
    await session.load();
    assert.equal(session.getExpiryAge(), 600);
    assert.equal(session.expireAtBrowserClose, false);
    const delta = session.getExpiryDate().getTime() - Date.now();
    assert.ok(delta > 590_000 && delta <= 600_000);
  });

  test("setExpiry(seconds) is kept across save and load", async () => {
    const store = new InMemorySessionStore();
    const session = new Session(store);
    await session.setExpiry(30);
    assert.equal(session.modified, true);
    await session.save();
    const loaded = new Session(store, session.sessionKey);
    await loaded.load();
    assert.equal(loaded.getExpiryAge(), 30);
    assert.deepEqual(await loaded.keys(), []);
    const record = await store.load(session.sessionKey ?? "");
    const delta = (record?.expiresAt.getTime() ?? 0) - Date.now();
    assert.ok(delta > 20_000 && delta <= 30_000);
  });

  test("setExpiry(Date) expires at that instant", async () => {
    const at = new Date(Date.now() + 3_600_000);
    const store = new InMemorySessionStore();
    const session = new Session(store);
    await session.setExpiry(at);
    await session.save();
    const loaded = new Session(store, session.sessionKey);
    await loaded.load();
    assert.equal(loaded.getExpiryDate().getTime(), at.getTime());
    assert.ok(Math.abs(loaded.getExpiryAge() - 3600) <= 1);
  });

  test("setExpiry(0) expires at browser close but keeps maxAge in the store", async () => {
    const session = new Session(new InMemorySessionStore(), null, { maxAge: 100 });
    await session.setExpiry(0);
    assert.equal(session.expireAtBrowserClose, true);
    assert.equal(session.getExpiryAge(), 100);
  });

  test("setExpiry(null) goes back to the default", async () => {
    const session = new Session(new InMemorySessionStore(), null, { maxAge: 100 });
    await session.setExpiry(5);
    await session.setExpiry(null);
    assert.equal(session.getExpiryAge(), 100);
    session.modified = false;
    await session.setExpiry(null);
    assert.equal(session.modified, false);
  });

  test("a past expiry date makes the saved session unloadable", async () => {
    const store = new InMemorySessionStore();
    const session = new Session(store);
    await session.set("user", 1);
    await session.setExpiry(new Date(Date.now() - 1000));
    await session.save();
    assert.equal(await new Session(store, session.sessionKey).get("user"), undefined);
  });

  test("rejects expiries that are not numbers or valid dates, and reading before load", async () => {
    const session = new Session(new InMemorySessionStore());
    assert.throws(() => session.getExpiryAge(), ImproperlyConfigured);
    assert.throws(() => session.expireAtBrowserClose, ImproperlyConfigured);
    await assert.rejects(session.setExpiry(Number.POSITIVE_INFINITY), ImproperlyConfigured);
    await assert.rejects(session.setExpiry(new Date("nope")), ImproperlyConfigured);
  });
});
