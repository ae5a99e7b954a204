// Two `switchboard serve` processes sharing Redis (layer and sessions) and a SQLite user table: a
// logout answered by one process closes the socket the other holds, through the layer, long before
// the 30 s re-validation would.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { Redis } from "ioredis";
import { LIVE_SESSION_CLOSE_CODES as CODES } from "../../src/live/live-close-codes.js";
import { RedisChannelLayer, RedisSessionStore } from "../../src/redis.js";
import { closed, connect } from "../../src/server/test-server.js";
import { SqliteDatabase } from "../../src/stores/sqlite-database.js";
import { SqlUserStore } from "../../src/users/sql-user-store.js";
import { freePort } from "../support/ports.js";
import { startListening, stop, type Process } from "../support/processes.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "../support/services.js";
import { createUser, loggedIn, postHeaders } from "../live/live-app.js";

const skip = await serviceSkip("redis");
const app = fileURLToPath(new URL("./apps/live-session-app.ts", import.meta.url));

describe("live sessions across two switchboard serve processes", { skip, timeout: 60_000 }, () => {
  const prefix = uniquePrefix("live");
  const dir = mkdtempSync(join(tmpdir(), "switchboard-live-"));
  const dbPath = join(dir, "users.sqlite3");
  const redis = new Redis(REDIS_URL);
  const store = new RedisSessionStore({ client: redis, prefix: `${prefix}:session:` });
  let users: SqlUserStore;
  let db: SqliteDatabase;
  let a: Process;
  let b: Process;

  const start = async () => {
    const port = await freePort();
    const args = [
      "bin/switchboard.js",
      "serve",
      app,
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
    ];
    const env = { ...process.env, REDIS_URL, SB_LAYER_PREFIX: prefix, SB_DB: dbPath };
    return startListening(process.execPath, args, port, env);
  };

  before(async () => {
    db = new SqliteDatabase(dbPath);
    users = new SqlUserStore(db);
    await users.migrate();
    [a, b] = await Promise.all([start(), start()]);
  });
  after(async () => {
    await Promise.all([a, b].filter(Boolean).map(stop));
    const layer = new RedisChannelLayer({ redis: REDIS_URL, prefix });
    await layer.flush();
    await layer.close();
    redis.disconnect();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a logout on B closes the session's socket on A with 4001 at once, not another session's", async () => {
    const ada = await createUser(users, "ada");
    const key = await loggedIn(store, users, ada);
    const otherKey = await loggedIn(store, users, ada);
    const open = (port: number, cookieKey: string) =>
      connect(`ws://127.0.0.1:${port}/ws/`, [], { headers: { cookie: `sessionid=${cookieKey}` } });
    const onA = await open(a.port, key);
    const otherOnA = await open(a.port, otherKey);
    const close = closed(onA);
    const started = Date.now();
    const response = await fetch(`http://127.0.0.1:${b.port}/logout/`, {
      method: "POST",
      headers: postHeaders(key),
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await close, { code: CODES.sessionEnded, reason: "session ended" });
    assert.ok(Date.now() - started < 5000, "through the layer, not the 30 s re-validation");
    assert.equal(otherOnA.readyState, otherOnA.OPEN);
    otherOnA.close();
  });
});
