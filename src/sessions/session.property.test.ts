// Replay a failure: FC_SEED=<seed> FC_PATH=<path> node scripts/test.js src/sessions/session.property.test.ts
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { fuzzRuns } from "../../test/support/fuzz.js";
import { SESSION_STORES } from "../../test/support/session-stores.js";
import type { OpenSessionStore } from "../../test/support/session-stores.js";
import { sessionApp, sessionRequest } from "../../test/support/sessions.js";
import { newSessionKey } from "./session-key.js";
import { Session } from "./session.js";
import type { JsonValue } from "./session.js";

const EXPIRY_KEY = "_session_expiry";

// Names a session may use (the expiry's own is reserved), prototype names among them.
const dataKey = fc
  .oneof(fc.string(), fc.constantFrom("__proto__", "constructor", "toString", "_auth_user_id"))
  .filter((name) => name !== EXPIRY_KEY);
const sessionData = fc.uniqueArray(fc.tuple(dataKey, fc.jsonValue() as fc.Arbitrary<JsonValue>), {
  selector: ([name]) => name,
  maxLength: 8,
});

// What a tampered or foreign row may hold: any text, JSON of any shape, and objects whose
// reserved expiry is nonsense.
const brokenExpiry = fc.oneof(
  fc.string(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, -1, 0, "2030-13-45", "", "0", null, true),
  fc.jsonValue(),
);
const storedPayload = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.json(),
  fc.constantFrom("", "null", "[]", "{", '{"__proto__":{"polluted":1}}', '"{}"'),
  fc
    .tuple(fc.dictionary(fc.string(), fc.jsonValue()), brokenExpiry)
    .map(([data, expiry]) => JSON.stringify({ ...data, [EXPIRY_KEY]: expiry })),
);

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

const inOneMinute = () => new Date(Date.now() + 60_000);

for (const kind of SESSION_STORES) {
  describe(`Session payloads (property): ${kind.name}`, { skip: await kind.skip() }, () => {
    let opened: OpenSessionStore;
    before(async () => {
      opened = await kind.open();
    });
    after(() => opened.dispose());
    const runs = kind.name === "memory" ? 200 : 50;

    test("round-trips any JSON-able data through save and load", async () => {
      await fc.assert(
        fc.asyncProperty(sessionData, async (pairs) => {
          const writer = new Session(opened.store);
          for (const [name, value] of pairs) await writer.set(name, value);
          await writer.save();
          const reader = new Session(opened.store, writer.sessionKey);
          const expected: unknown = JSON.parse(JSON.stringify(Object.fromEntries(pairs)));
          assert.deepEqual(Object.fromEntries(await reader.entries()), expected);
        }),
        fuzzRuns(runs),
      );
    });

    test("loads any stored payload without throwing, and a request on it still gets its cookie", async () => {
      // PostgreSQL's TEXT cannot hold NUL, so no row there can contain one.
      const payload =
        kind.name === "postgres"
          ? storedPayload.filter((text) => !text.includes("\0"))
          : storedPayload;
      await fc.assert(
        fc.asyncProperty(payload, async (data) => {
          const key = await newSessionKey();
          assert.equal(await opened.store.save(key, data, inOneMinute(), true), true);
          const entries = await new Session(opened.store, key).entries();
          if (!isJsonObject(data)) assert.deepEqual(entries, []);
          const app = sessionApp(async (session) => session.set("seen", true), {
            store: opened.store,
          });
          const { status, setCookie } = await sessionRequest(app, `sessionid=${key}`);
          assert.equal(status, 200);
          assert.equal(setCookie.length, 1);
          assert.equal(({} as Record<string, unknown>).polluted, undefined);
        }),
        fuzzRuns(runs),
      );
    });
  });
}
