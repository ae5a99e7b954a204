/**
 * The database both auth-handshake servers serve: a temporary SQLite file holding one user and
 * one session logged in as that user, under a session key the load knows. Removed on exit.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sessionAuthHash, SqliteDatabase, SqlSessionStore, SqlUserStore } from "switchboard";

export const SECRET_KEY = "bench-secret-key-0123456789abcdefghijkl";
/** A fixed, well-formed key: the load process sends it without talking to the server first. */
export const SESSION_COOKIE = "sessionid=benchbenchbenchbenchbenchbench00";
export const GREETING = "hello ada";

/** Creates the database file and resolves its path. */
export async function prepareDatabase(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-auth-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "bench.sqlite3");
  const db = new SqliteDatabase(file);
  const users = new SqlUserStore(db);
  const sessions = new SqlSessionStore(db);
  await users.migrate();
  await sessions.migrate();
  const ada = await users.create({
    username: "ada",
    passwordHash: "scrypt$N=1024,r=8,p=1$s$aGFzaGhhc2hoYXNoaGFzaA==",
  });
  const data = {
    _auth_user_id: String(ada.id),
    _auth_user_backend: "model",
    _auth_user_hash: sessionAuthHash(ada, SECRET_KEY),
  };
  const key = SESSION_COOKIE.slice("sessionid=".length);
  await sessions.save(key, JSON.stringify(data), new Date(Date.now() + 86_400_000), true);
  await db.close();
  return file;
}
