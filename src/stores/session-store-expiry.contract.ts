import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import {
  aSecondAgo,
  inOneMinute,
  type SessionStoreFixtureKind,
} from "../../test/support/session-store-fixtures.js";
import { newSessionKey } from "../sessions/session-key.js";
import type { CurrentFixture } from "./session-store.contract.js";

/**
 * The SessionStore contract on expiry: an expired session is absent whether saved so or left to
 * lapse, and clearExpired removes only expired ones.
 * `sessionStoreContract` registers them for every store.
 *
 * @example
 * ```ts
 * describe("SessionStore contract: memory", () => sessionStoreExpiryContract(current, kind));
 * ```
 */
export function sessionStoreExpiryContract(
  current: CurrentFixture,
  kind: SessionStoreFixtureKind,
): void {
  test("never returns a session saved already expired", async () => {
    const { store } = current();
    const created = await newSessionKey();
    await store.save(created, "{}", aSecondAgo(), true);
    assert.equal(await store.load(created), null);
    assert.equal(await store.exists(created), false);
    const updated = await newSessionKey();
    await store.save(updated, "{}", inOneMinute(), true);
    await store.save(updated, "{}", aSecondAgo(), false);
    assert.equal(await store.load(updated), null);
  });

  test("stops returning a session once its short expiry passes", async () => {
    const { store } = current();
    const key = await newSessionKey();
    const expiresAt = new Date(Date.now() + 50);
    await store.save(key, "{}", expiresAt, true);
    while (Date.now() <= expiresAt.getTime() + 5) await sleep(20);
    assert.equal(await store.load(key), null);
    assert.equal(await store.exists(key), false);
    // An expired key counts as absent: not updatable, free for a new session.
    assert.equal(await store.save(key, "{}", inOneMinute(), false), false);
    assert.equal(await store.save(key, "{}", inOneMinute(), true), true);
  });

  test("clearExpired removes expired sessions and keeps live ones", async () => {
    const { store } = current();
    await store.clearExpired();
    const live = await newSessionKey();
    await store.save(live, '"live"', inOneMinute(), true);
    for (let i = 0; i < 2; i++) await store.save(await newSessionKey(), "{}", aSecondAgo(), true);
    assert.equal(await store.clearExpired(), kind.expiresNatively ? 0 : 2);
    assert.equal(await store.clearExpired(), 0);
    assert.equal((await store.load(live))?.data, '"live"');
  });
}
