import assert from "node:assert/strict";
import { test } from "node:test";
import { inOneMinute } from "../../test/support/session-store-fixtures.js";
import { SessionInterrupted } from "../errors.js";
import { newSessionKey } from "../sessions/session-key.js";
import { Session } from "../sessions/session.js";
import type { CurrentFixture } from "./session-store.contract.js";

/**
 * The SessionStore contract on a session's life: save with and without mustCreate, load, exists and
 * delete on the store, and the same through `Session` (cycleKey, flush, a key deleted meanwhile, a
 * key the store never issued).
 * `sessionStoreContract` registers them for every store.
 *
 * @example
 * ```ts
 * describe("SessionStore contract: memory", () => sessionStoreLifecycleContract(current));
 * ```
 */
export function sessionStoreLifecycleContract(current: CurrentFixture): void {
  test("creates a session and loads its data and expiry back", async () => {
    const { store } = current();
    const key = await newSessionKey();
    const expiresAt = inOneMinute();
    assert.equal(await store.save(key, '{"a":1}', expiresAt, true), true);
    const record = await store.load(key);
    assert.equal(record?.data, '{"a":1}');
    assert.ok(Math.abs((record?.expiresAt.getTime() ?? 0) - expiresAt.getTime()) < 1000);
    assert.equal(await store.exists(key), true);
  });

  test("refuses mustCreate on a taken key and keeps the first data", async () => {
    const { store } = current();
    const key = await newSessionKey();
    await store.save(key, '"first"', inOneMinute(), true);
    assert.equal(await store.save(key, '"second"', inOneMinute(), true), false);
    assert.equal((await store.load(key))?.data, '"first"');
  });

  test("refuses an update of a missing key without creating it", async () => {
    const { store } = current();
    const key = await newSessionKey();
    assert.equal(await store.save(key, "{}", inOneMinute(), false), false);
    assert.equal(await store.load(key), null);
    assert.equal(await store.exists(key), false);
  });

  test("updates an existing key's data and expiry", async () => {
    const { store } = current();
    const key = await newSessionKey();
    await store.save(key, '"old"', inOneMinute(), true);
    const later = new Date(Date.now() + 3_600_000);
    assert.equal(await store.save(key, '"new"', later, false), true);
    const record = await store.load(key);
    assert.equal(record?.data, '"new"');
    assert.ok(Math.abs((record?.expiresAt.getTime() ?? 0) - later.getTime()) < 1000);
  });

  test("deletes a key, and deleting a missing key is not an error", async () => {
    const { store } = current();
    const key = await newSessionKey();
    await store.save(key, "{}", inOneMinute(), true);
    await store.delete(key);
    assert.equal(await store.load(key), null);
    assert.equal(await store.exists(key), false);
    await store.delete(key);
  });

  test("round-trips unicode and nested data through Session", async () => {
    const { store } = current();
    const value = {
      text: 'naïve café ✓ 日本語 🎉 \u0000 "quotes" \\ \'; DROP TABLE',
      nested: { list: [1, 2.5, -3, true, null, { deep: ["x"] }], empty: {} },
      big: Number.MAX_SAFE_INTEGER,
    };
    const writer = new Session(store);
    await writer.set("value", value);
    await writer.set("__proto__", "not a prototype");
    await writer.save();
    const reader = new Session(store, writer.sessionKey);
    assert.deepEqual(await reader.get("value"), value);
    assert.equal(await reader.get("__proto__"), "not a prototype");
    assert.deepEqual((await reader.keys()).sort(), ["__proto__", "value"]);
  });

  test("cycleKey keeps the data under a new key and deletes the old one", async () => {
    const { store } = current();
    const session = new Session(store);
    await session.set("user", 7);
    await session.save();
    const oldKey = session.sessionKey ?? "";
    await session.cycleKey();
    const newKey = session.sessionKey ?? "";
    assert.notEqual(newKey, oldKey);
    assert.equal(await store.exists(oldKey), false);
    assert.equal(await new Session(store, newKey).get("user"), 7);
  });

  test("flush deletes the stored session and drops the key", async () => {
    const { store } = current();
    const session = new Session(store);
    await session.set("user", 7);
    await session.save();
    const key = session.sessionKey ?? "";
    await session.flush();
    assert.equal(session.sessionKey, null);
    assert.equal(await store.exists(key), false);
  });

  test("saving a session deleted meanwhile rejects with SessionInterrupted", async () => {
    const { store } = current();
    const first = new Session(store);
    await first.set("n", 1);
    await first.save();
    const mine = new Session(store, first.sessionKey);
    await mine.set("n", 2);
    await new Session(store, first.sessionKey).flush();
    await assert.rejects(mine.save(), SessionInterrupted);
    assert.equal(await store.exists(first.sessionKey ?? ""), false);
  });

  test("an unknown key loads empty and saves under a new key, never the client's", async () => {
    const { store } = current();
    const planted = await newSessionKey();
    const session = new Session(store, planted);
    assert.equal(await session.get("user"), undefined);
    await session.set("user", 1);
    await session.save();
    assert.notEqual(session.sessionKey, planted);
    assert.equal(await store.exists(planted), false);
  });
}
