/**
 * The database both scale servers serve: a temporary SQLite file with one user and one logged-in
 * session per socket, created in bulk in one transaction. Session `i`'s key is
 * {@link sessionKey}(i), so a load process makes its cookies without talking to the server.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sessionAuthHash, SqliteDatabase, SqlSessionStore, SqlUserStore } from "switchboard";
import { SECRET_KEY } from "../scenarios/auth-handshake/fixture.js";

/** What both servers send to the group "everyone" when told to broadcast. */
export const PAYLOAD = JSON.stringify({ type: "chat.message", text: "x".repeat(100) });

/**
 * How much of the Switchboard application serves the sockets (`--stack`); each adds to the one
 * before: see bench/scale/switchboard-server.ts.
 */
export const STACKS = ["asgi", "consumer", "layer", "auth"] as const;
export type Stack = (typeof STACKS)[number];

/** Whether `stack` has the group that a broadcast reaches. */
export function hasGroup(stack: Stack): boolean {
  return stack === "layer" || stack === "auth";
}

/** Session `i`'s key: 32 characters of `[a-z0-9]`, as `newSessionKey` makes them. */
export function sessionKey(i: number): string {
  return `scale${i.toString(36)}`.padEnd(32, "0");
}

/**
 * Creates the database in a temporary directory (removed when this process exits) with `count`
 * users, each with a password hash of their own (so no server can share one auth hash among
 * them), and resolves its path.
 */
export async function prepareDatabase(count: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-scale-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "scale.sqlite3");
  const db = new SqliteDatabase(file);
  const users = new SqlUserStore(db);
  const sessions = new SqlSessionStore(db);
  await users.migrate();
  await sessions.migrate();
  const expiresAt = new Date(Date.now() + 86_400_000);
  await db.execute("BEGIN");
  for (let i = 0; i < count; i++) {
    const user = await users.create({
      username: `user${i}`,
      // never checked against a password: only the session auth hash is derived from it
      passwordHash: `scrypt$N=1024,r=8,p=1$s$${Buffer.from(`user${i}`).toString("base64")}`,
    });
    const data = {
      _auth_user_id: String(user.id),
      _auth_user_backend: "model",
      _auth_user_hash: sessionAuthHash(user, SECRET_KEY),
    };
    await sessions.save(sessionKey(i), JSON.stringify(data), expiresAt, true);
  }
  await db.execute("COMMIT");
  await db.close();
  return file;
}

/** The database path the orchestrator hands its server processes. */
export function databaseFromEnv(): string {
  const file = process.env.SCALE_DATABASE;
  if (file === undefined) {
    throw new Error("SCALE_DATABASE is not set: run the scale bench with `npm run bench:scale`.");
  }
  return file;
}
