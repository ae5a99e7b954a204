/**
 * What the raw `ws` server does by hand on an authenticated handshake: the same SQLite statements
 * SqlSessionStore.load and SqlUserStore.getById run, and the same session-auth-hash check, written
 * as a hand-made server would: an HMAC per handshake (Switchboard's `sessionAuthHash` remembers
 * the hashes it made, which is part of what is measured, so the baseline does not borrow it).
 * Rows are keyed by the SHA-256 of the session key, as `sessionKeyHash` makes it.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import Database from "better-sqlite3";
import { parseCookie } from "cookie";
import { SECRET_KEY } from "./fixture.js";

/** Switchboard's session auth hash, as documented: HMAC-SHA256 over a purpose and the password hash. */
export function authHash(passwordHash: string): string {
  return createHmac("sha256", SECRET_KEY)
    .update("switchboard.auth.sessionAuthHash\0")
    .update(passwordHash)
    .digest("hex");
}

export interface UserRow {
  username: string;
  password_hash: string;
  is_active: number;
}

/** A lookup from a Cookie header to the logged-in user's row, or `null`, on the SQLite database file `file`. */
export function rawUserLookup(file: string): (cookieHeader: string) => UserRow | null {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  const loadSession = db.prepare(
    "SELECT session_data, expires_at FROM switchboard_sessions WHERE session_key = ? AND expires_at > ?",
  );
  const getUser = db.prepare(
    "SELECT id, username, password_hash, is_active, is_staff, is_superuser, last_login, date_joined FROM switchboard_user WHERE id = ?",
  );
  return (cookieHeader) => {
    const key = parseCookie(cookieHeader).sessionid ?? "";
    const name = createHash("sha256").update(key).digest("hex");
    const row = loadSession.get(name, Date.now()) as { session_data: string } | undefined;
    const data = row ? (JSON.parse(row.session_data) as Record<string, string>) : {};
    const user = data._auth_user_id
      ? (getUser.get(Number(data._auth_user_id)) as UserRow | undefined)
      : undefined;
    if (!user?.is_active) return null;
    const expected = Buffer.from(authHash(user.password_hash));
    const stored = Buffer.from(data._auth_user_hash ?? "");
    return expected.length === stored.length && timingSafeEqual(expected, stored) ? user : null;
  };
}
