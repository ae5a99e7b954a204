/**
 * The demo scenario on raw `ws`: what a hand-written server does for the same work. Sign-up and
 * login forms with a CSRF token (a hidden field matching a cookie), scrypt password hashes and
 * SQLite sessions; on every upgrade the session and user lookups of `rawUserLookup`; `/ws/echo/`
 * echoes, `/ws/chat/<room>/` sends every message to every socket of the room. No logging.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import { parseCookie } from "cookie";
import { WebSocketServer, type WebSocket } from "ws";
import { prepareDatabase } from "../auth-handshake/fixture.js";
import { authHash, rawUserLookup } from "../auth-handshake/raw-lookup.js";

const CHAT = /^\/ws\/chat\/([A-Za-z0-9_-]+)\/$/;

function hashPassword(password: string): string {
  const salt = randomBytes(16).toString("base64");
  return `scrypt$${salt}$${scryptSync(password, salt, 32).toString("base64")}`;
}

function passwordMatches(password: string, stored: string): boolean {
  const [, salt = "", hash = ""] = stored.split("$");
  const expected = Buffer.from(hash, "base64");
  const given = scryptSync(password, salt, 32);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The sign-up and login forms, over the same SQLite file the upgrade lookups read. */
function forms(file: string) {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  const insertUser = db.prepare(
    "INSERT INTO switchboard_user (username, password_hash, is_active, is_staff, is_superuser, last_login, date_joined) VALUES (?, ?, 1, 0, 0, NULL, ?) RETURNING id, password_hash",
  );
  const userByName = db.prepare(
    "SELECT id, password_hash FROM switchboard_user WHERE username = ? AND is_active = 1",
  );
  const insertSession = db.prepare(
    "INSERT INTO switchboard_sessions (session_key, session_data, expires_at) VALUES (?, ?, ?)",
  );
  type UserRow = { id: number; password_hash: string };

  function startSession(res: ServerResponse, user: UserRow) {
    const key = randomBytes(24).toString("base64url");
    const data = JSON.stringify({
      _auth_user_id: String(user.id),
      _auth_user_backend: "model",
      _auth_user_hash: authHash(user.password_hash),
    });
    const name = createHash("sha256").update(key).digest("hex");
    insertSession.run(name, data, Date.now() + 14 * 86_400_000);
    res.setHeader("set-cookie", `sessionid=${key}; HttpOnly; Path=/; SameSite=Lax`);
  }

  function page(res: ServerResponse) {
    const token = randomBytes(24).toString("base64url");
    res.setHeader("set-cookie", `csrftoken=${token}; Path=/; SameSite=Lax`);
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="${token}" />
      <input name="username" /><input name="password" type="password" /></form>`);
  }

  function post(req: IncomingMessage, res: ServerResponse, body: string) {
    const form = new URLSearchParams(body);
    const token = parseCookie(req.headers.cookie ?? "").csrftoken;
    if (token === undefined || form.get("csrfmiddlewaretoken") !== token) {
      return res.writeHead(403).end("CSRF token missing or wrong.\n");
    }
    const username = form.get("username") ?? "";
    const password = form.get("password") ?? "";
    if (req.url === "/signup/") {
      const user = insertUser.get(username, hashPassword(password), Date.now()) as UserRow;
      startSession(res, user);
      return res.writeHead(303, { location: "/" }).end();
    }
    const user = userByName.get(username) as UserRow | undefined;
    if (user === undefined || !passwordMatches(password, user.password_hash)) {
      return res.writeHead(403).end("That username and password do not match an account.\n");
    }
    startSession(res, user);
    res.writeHead(200).end(`Logged in as ${username}.\n`);
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== "/signup/" && req.url !== "/login/") return res.writeHead(404).end();
    if (req.method === "GET") return page(res);
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => post(req, res, body));
  };
}

export async function start(): Promise<number> {
  const file = await prepareDatabase();
  const userFor = rawUserLookup(file);
  const wss = new WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    maxPayload: 1024 * 1024,
  });
  const rooms = new Map<string, Set<WebSocket>>();
  const server = createServer(forms(file));
  server.on("upgrade", (req, socket, head) => {
    const room = CHAT.exec(req.url ?? "")?.[1];
    const known = req.url === "/ws/echo/" || room !== undefined;
    if (!known || userFor(req.headers.cookie ?? "") === null) {
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on("error", () => {});
      if (room === undefined) {
        ws.on("message", (data, isBinary) => ws.send(data, { binary: isBinary }));
        return;
      }
      const members = rooms.get(room) ?? new Set<WebSocket>();
      rooms.set(room, members.add(ws));
      ws.on("message", (data) => {
        const text = String(data);
        for (const member of members) member.send(text);
      });
      ws.on("close", () => members.delete(ws));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}
