import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ImproperlyConfigured } from "switchboard";
import { loadOrCreateSecretKey } from "./secret-key-file.js";
import { settingsFromEnv } from "./settings.js";

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "sb-chat-key-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe("loadOrCreateSecretKey", () => {
  test("generates a key once, readable by the owner only, and returns the same key after", (t) => {
    const path = join(tempDir(t), "db.sqlite3-secret-key");
    const key = loadOrCreateSecretKey(path);
    assert.match(key, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(loadOrCreateSecretKey(path), key);
    assert.deepEqual(readdirSync(join(path, "..")), ["db.sqlite3-secret-key"], "no temp file left");
  });

  test("refuses a key file holding a short key", (t) => {
    const path = join(tempDir(t), "short");
    writeFileSync(path, "too short\n", { mode: 0o600 });
    assert.throws(() => loadOrCreateSecretKey(path), ImproperlyConfigured);
  });
});

describe("settingsFromEnv", () => {
  test("keeps the generated key beside the database; SWITCHBOARD_SECRET_KEY wins", (t) => {
    const database = join(tempDir(t), "chat.sqlite3");
    const settings = settingsFromEnv({ SWITCHBOARD_DB: database });
    assert.equal(settings.secretKey, loadOrCreateSecretKey(`${database}-secret-key`));
    assert.equal(settings.redisUrl, null);
    assert.equal(settings.bench, false);
    const given = "x".repeat(40);
    assert.equal(
      settingsFromEnv({ SWITCHBOARD_DB: database, SWITCHBOARD_SECRET_KEY: given }).secretKey,
      given,
    );
  });

  test("reads previous keys from SWITCHBOARD_SECRET_KEY_FALLBACKS, comma-separated", () => {
    const [a, b] = ["a".repeat(40), "b".repeat(40)];
    const env = { SWITCHBOARD_DB: ":memory:", SWITCHBOARD_SECRET_KEY: "x".repeat(40) };
    assert.deepEqual(settingsFromEnv(env).secretKeyFallbacks, []);
    const fallbacks = `${a}, ${b},`;
    assert.deepEqual(
      settingsFromEnv({ ...env, SWITCHBOARD_SECRET_KEY_FALLBACKS: fallbacks }).secretKeyFallbacks,
      [a, b],
    );
  });

  test("asks for SWITCHBOARD_SECRET_KEY with a PostgreSQL database", () => {
    assert.throws(
      () => settingsFromEnv({ SWITCHBOARD_DB: "postgres://app@db/app" }),
      /SWITCHBOARD_SECRET_KEY/,
    );
  });
});
