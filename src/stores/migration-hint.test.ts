import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TEST_DATABASES } from "../../test/support/databases.js";
import { ImproperlyConfigured } from "../errors.js";
import { SqlUserStore } from "../users/sql-user-store.js";
import { withMigrationHint } from "./migration-hint.js";
import type { SqlDatabase } from "./sql-database.js";
import { SqlSessionStore } from "./sql-session-store.js";
import { SqlTicketStore } from "./sql-ticket-store.js";

// A server started before `switchboard migrate` logs this error on every request: it must say
// what to do, not "no such table".
for (const [kind, database] of Object.entries(TEST_DATABASES)) {
  describe(`SQL stores before migrate (${kind})`, () => {
    const uses = [
      ["switchboard_sessions", (db) => new SqlSessionStore(db).load("a-key")],
      ["switchboard_tickets", (db) => new SqlTicketStore(db).consume("a-ticket")],
      ["switchboard_user", (db) => new SqlUserStore(db).getByUsername("ada")],
    ] as const satisfies readonly (readonly [string, (db: SqlDatabase) => Promise<unknown>])[];

    for (const [table, use] of uses) {
      test(`a missing ${table} says to run switchboard migrate`, async (t) => {
        const skip = await database.skip();
        if (skip !== false) return t.skip(skip);
        const { db, dispose } = await database.open("hint");
        try {
          await assert.rejects(use(db), (error: unknown) => {
            assert.ok(error instanceof ImproperlyConfigured);
            assert.match(
              error.message,
              new RegExp(`table ${table} does not exist: run \`switchboard migrate\``),
            );
            assert.ok(error.cause instanceof Error, "the driver's error is kept as cause");
            return true;
          });
        } finally {
          await dispose();
        }
      });
    }

    test("other SQL errors pass through unchanged", async (t) => {
      const skip = await database.skip();
      if (skip !== false) return t.skip(skip);
      const { db, dispose } = await database.open("hint");
      try {
        const hinted = withMigrationHint(db, "switchboard_user");
        const driverError = await db.query("SELEC 1").catch((error: unknown) => error);
        await assert.rejects(hinted.query("SELEC 1"), (error: unknown) => {
          assert.ok(!(error instanceof ImproperlyConfigured));
          assert.equal((error as Error).message, (driverError as Error).message);
          return true;
        });
      } finally {
        await dispose();
      }
    });
  });
}
