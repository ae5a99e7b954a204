import assert from "node:assert/strict";
import { test } from "node:test";
import {
  inOneMinute,
  type SessionStoreFixtureKind,
} from "../../test/support/session-store-fixtures.js";
import { BackendUnavailable, ImproperlyConfigured } from "../errors.js";
import { newSessionKey } from "../sessions/session-key.js";
import { Session } from "../sessions/session.js";
import type { CurrentFixture } from "./session-store.contract.js";

/**
 * The SessionStore contract on a backend that cannot answer: a SQL table never migrated says to
 * migrate, and a backend that is down rejects with BackendUnavailable.
 * `sessionStoreContract` registers them for every store.
 *
 * @example
 * ```ts
 * describe("SessionStore contract: memory", () => sessionStoreFailuresContract(current, kind));
 * ```
 */
export function sessionStoreFailuresContract(
  current: CurrentFixture,
  kind: SessionStoreFixtureKind,
): void {
  if (kind.sql) {
    test("a SQL store whose table was never created says to run migrate", async () => {
      const unmigrated = current().unmigrated;
      assert.ok(unmigrated);
      await assert.rejects(unmigrated.load(await newSessionKey()), ImproperlyConfigured);
      await assert.rejects(unmigrated.clearExpired(), /switchboard migrate/);
    });
  }

  if (kind.broken) {
    const openBroken = kind.broken;
    test("a backend that is down rejects with BackendUnavailable, never an empty session", async () => {
      const broken = await openBroken();
      try {
        const key = await newSessionKey();
        const session = new Session(broken.store, key);
        await assert.rejects(session.get("user"), BackendUnavailable);
        assert.equal(session.isLoaded, false);
        assert.equal(session.sessionKey, key);
        await assert.rejects(session.set("user", 1), BackendUnavailable);
        await assert.rejects(session.save(), BackendUnavailable);
        await assert.rejects(broken.store.save(key, "{}", inOneMinute(), true), BackendUnavailable);
        await assert.rejects(broken.store.delete(key), BackendUnavailable);
      } finally {
        await broken.dispose();
      }
    });
  }
}
