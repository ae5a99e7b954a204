import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chatServeOptions, settingsFromEnv } from "./settings.js";

const env = { SWITCHBOARD_DB: ":memory:" };

describe("chat demo settings", () => {
  test("turns the message and handshake rates, the connection and per-user caps, the header timeout and allowed hosts on", () => {
    const options = chatServeOptions(settingsFromEnv(env));
    assert.ok((options.maxMessagesPerSecond ?? 0) > 0);
    assert.ok((options.maxHandshakesPerSecond ?? 0) > 0);
    assert.ok((options.maxConnections ?? 0) > 0);
    assert.equal(options.headersTimeoutMs, 10_000);
    assert.deepEqual(options.allowedHosts, ["localhost", "127.0.0.1", "[::1]"]);
    assert.equal(options.liveSessions?.maxSocketsPerUser, 50);
  });

  test("SWITCHBOARD_BENCH=1 lifts the two rates and the per-user cap, nothing else", () => {
    const normal = chatServeOptions(settingsFromEnv(env));
    const bench = chatServeOptions(settingsFromEnv({ ...env, SWITCHBOARD_BENCH: "1" }));
    assert.deepEqual(bench, {
      ...normal,
      maxMessagesPerSecond: 0,
      maxHandshakesPerSecond: 0,
      liveSessions: { ...normal.liveSessions, maxSocketsPerUser: 0 },
    });
  });

  test("SWITCHBOARD_ALLOWED_HOSTS replaces the allowed hosts", () => {
    const settings = settingsFromEnv({
      ...env,
      SWITCHBOARD_ALLOWED_HOSTS: "chat.example.com, .example.org",
    });
    assert.deepEqual(chatServeOptions(settings).allowedHosts, ["chat.example.com", ".example.org"]);
  });
});
