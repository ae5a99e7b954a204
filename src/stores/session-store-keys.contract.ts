import assert from "node:assert/strict";
import { test } from "node:test";
import {
  inOneMinute,
  type SessionStoreFixtureKind,
} from "../../test/support/session-store-fixtures.js";
import { newSessionKey } from "../sessions/session-key.js";
import { sessionKeyHash } from "../sessions/session-key-hash.js";
import { Session } from "../sessions/session.js";
import type { CurrentFixture } from "./session-store.contract.js";

/**
 * The SessionStore contract on keys at rest: the backend holds only the key's hash, a name read
 * from a dump opens nothing, and sessions written under raw keys by earlier versions are moved to
 * their hashes.
 * `sessionStoreContract` registers them for every store.
 *
 * @example
 * ```ts
 * describe("SessionStore contract: memory", () => sessionStoreKeysContract(current, "memory", kind));
 * ```
 */
export function sessionStoreKeysContract(
  current: CurrentFixture,
  name: string,
  kind: SessionStoreFixtureKind,
): void {
  test("keeps the key's hash, never the key, so a dump holds no session key", async (t) => {
    const fixture = current();
    const { store } = fixture;
    if (!fixture.dump) return t.skip("an in-process Map leaves no dump");
    const key = await newSessionKey();
    await store.save(key, '"secret"', inOneMinute(), true);
    const names = await fixture.dump();
    assert.ok(names.includes(sessionKeyHash(key)));
    assert.ok(!names.includes(key));
    assert.ok(names.every((name) => !name.includes(key)));
  });

  test("a name read from a dump loads no session and updates none", async () => {
    const fixture = current();
    const { store } = fixture;
    const key = await newSessionKey();
    await store.save(key, '"secret"', inOneMinute(), true);
    const names = fixture.dump ? await fixture.dump() : [sessionKeyHash(key)];
    assert.ok(names.length > 0);
    for (const name of names) {
      assert.equal(await store.load(name), null);
      assert.equal(await store.exists(name), false);
      assert.equal(await store.save(name, '"forged"', inOneMinute(), false), false);
      assert.equal(await new Session(store, name).get("user"), undefined);
    }
    assert.equal((await store.load(key))?.data, '"secret"');
  });

  if (kind.sql || name === "redis") {
    test("a session written under its raw key by an earlier version loads, and is moved to its hash", async () => {
      const fixture = current();
      const { store, writeUnhashed, dump } = fixture;
      assert.ok(writeUnhashed && dump);
      const key = await newSessionKey();
      const expiresAt = inOneMinute();
      await writeUnhashed(key, '{"user":"7"}', expiresAt);
      await fixture.upgrade?.();
      const record = await store.load(key);
      assert.equal(record?.data, '{"user":"7"}');
      assert.ok(Math.abs((record?.expiresAt.getTime() ?? 0) - expiresAt.getTime()) < 1000);
      const names = await dump();
      assert.ok(names.includes(sessionKeyHash(key)));
      assert.ok(!names.includes(key));
      assert.equal(await new Session(store, key).get("user"), "7");
    });
  }

  if (kind.sql) {
    test("migrate moves every row written under a raw key, past one batch, and again finds none", async () => {
      const fixture = current();
      const { store, writeUnhashed, dump } = fixture;
      assert.ok(writeUnhashed && dump);
      const keys = await Promise.all(Array.from({ length: 501 }, () => newSessionKey()));
      for (const key of keys) await writeUnhashed(key, "{}", inOneMinute());
      await fixture.upgrade?.();
      await fixture.upgrade?.();
      const names = new Set(await dump());
      assert.ok(keys.every((key) => names.has(sessionKeyHash(key)) && !names.has(key)));
      assert.ok([...names].every((name) => /^[0-9a-f]{64}$/.test(name)));
      assert.equal(await store.exists(keys[500] ?? ""), true);
    });
  }

  if (name === "redis") {
    test("deleting a session not yet moved to its hash removes it under its raw key", async () => {
      const fixture = current();
      const { store, writeUnhashed, dump } = fixture;
      assert.ok(writeUnhashed && dump);
      const key = await newSessionKey();
      await writeUnhashed(key, "{}", inOneMinute());
      await store.delete(key);
      assert.ok(!(await dump()).includes(key));
      assert.equal(await store.load(key), null);
    });
  }
}
