/**
 * The auth-handshake scenario on raw `ws`: on upgrade, the same SQLite statements
 * SqlSessionStore.load and SqlUserStore.getById run, and the same session-auth-hash check, by hand.
 */
import { timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import { parseCookie } from "cookie";
import { WebSocketServer } from "ws";
import { sessionAuthHash } from "switchboard";
import { prepareDatabase, SECRET_KEY } from "./fixture.js";

interface UserRow {
  username: string;
  password_hash: string;
  is_active: number;
}

export async function start(): Promise<number> {
  const db = new Database(await prepareDatabase());
  db.pragma("journal_mode = WAL");
  const loadSession = db.prepare(
    "SELECT session_data, expires_at FROM switchboard_sessions WHERE session_key = ? AND expires_at > ?",
  );
  const getUser = db.prepare(
    "SELECT id, username, password_hash, is_active, is_staff, is_superuser, last_login, date_joined FROM switchboard_user WHERE id = ?",
  );
  const userFor = (cookieHeader: string): UserRow | null => {
    const key = parseCookie(cookieHeader).sessionid ?? "";
    const row = loadSession.get(key, Date.now()) as { session_data: string } | undefined;
    const data = row ? (JSON.parse(row.session_data) as Record<string, string>) : {};
    const user = data._auth_user_id
      ? (getUser.get(Number(data._auth_user_id)) as UserRow | undefined)
      : undefined;
    if (!user?.is_active) return null;
    const expected = Buffer.from(sessionAuthHash({ passwordHash: user.password_hash }, SECRET_KEY));
    const stored = Buffer.from(data._auth_user_hash ?? "");
    return expected.length === stored.length && timingSafeEqual(expected, stored) ? user : null;
  };

  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
  });
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req, socket, head) => {
    const user = req.url === "/chat/" ? userFor(req.headers.cookie ?? "") : null;
    if (user === null) {
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("error", () => {});
      ws.send(`hello ${user.username}`);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}
