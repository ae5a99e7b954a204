/**
 * Authenticated WebSocket handshakes: each client sends a `sessionid` cookie; the server loads the
 * session from SQLite, then the user, checks the session auth hash, accepts and greets the user by
 * name; the client closes. `switchboard` mode: serve + authMiddlewareStack (cookie → session →
 * user) + urlRouter + a WebsocketConsumer. `raw` mode: a plain `ws` server doing the same SQLite
 * queries and HMAC check by hand. Server in a child process, clients here. Throughput on a
 * shared machine is noisy, so the server's CPU time per handshake is reported too, and the auth
 * stack alone is timed in process against the same lookups by hand.
 *
 *   node --import tsx bench/auth-handshake.ts [--handshakes 3000] [--concurrency 50] [--rounds 3]
 */
import { fork } from "node:child_process";
import { createServer } from "node:http";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { parseCookie } from "cookie";
import WebSocket, { WebSocketServer } from "ws";
import type { AuthScope } from "../src/auth/index.js";
import type { WebsocketScope } from "../src/types/asgi.js";

const SECRET = "bench-secret-key-0123456789abcdefghijkl";

/** The same statements SqlSessionStore.load and SqlUserStore.getById run. */
const LOAD_SESSION =
  "SELECT session_data, expires_at FROM switchboard_sessions WHERE session_key = ? AND expires_at > ?";
const GET_USER =
  "SELECT id, username, password_hash, is_active, is_staff, is_superuser, last_login, date_joined FROM switchboard_user WHERE id = ?";

/** The hand-written lookup: cookie → session row → user row → session auth hash check. */
async function handLookup(file: string): Promise<(cookieHeader: string) => string | null> {
  const { sessionAuthHash } = await import("../src/auth/session-auth-hash.js");
  const { timingSafeEqual } = await import("node:crypto");
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  const loadSession = db.prepare(LOAD_SESSION);
  const getUser = db.prepare(GET_USER);
  return (cookieHeader) => {
    const key = parseCookie(cookieHeader).sessionid ?? "";
    const row = loadSession.get(key, Date.now()) as { session_data: string } | undefined;
    const data = row ? (JSON.parse(row.session_data) as Record<string, string>) : {};
    const user = data._auth_user_id
      ? (getUser.get(Number(data._auth_user_id)) as
          { username: string; password_hash: string; is_active: number } | undefined)
      : undefined;
    if (!user?.is_active) return null;
    const expected = Buffer.from(sessionAuthHash({ passwordHash: user.password_hash }, SECRET));
    const stored = Buffer.from(data._auth_user_hash ?? "");
    return expected.length === stored.length && timingSafeEqual(expected, stored)
      ? user.username
      : null;
  };
}

async function rawServer(file: string): Promise<number> {
  const lookup = await handLookup(file);
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  const server = createServer();
  server.on("upgrade", (request, socket, head) => {
    const username = lookup(request.headers.cookie ?? "");
    if (username === null) {
      socket.end("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => ws.send(`hello ${username}`));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as { port: number }).port;
}

/** The auth stack alone, in process: µs per connection for the stack and for `handLookup`. */
async function inProcess(file: string, cookie: string, connections: number) {
  const { authMiddlewareStack, ModelBackend } = await import("../src/auth/index.js");
  const { SqliteDatabase, SqlSessionStore } = await import("../src/stores/index.js");
  const { SqlUserStore } = await import("../src/users/index.js");
  const db = new SqliteDatabase(file);
  let authenticated = 0;
  const app = authMiddlewareStack<WebsocketScope>(
    async (scope) => {
      if (scope.user.isAuthenticated) authenticated++;
    },
    {
      store: new SqlSessionStore(db),
      backends: [new ModelBackend({ users: new SqlUserStore(db) })],
      secretKey: SECRET,
    },
  );
  const scope: WebsocketScope = {
    type: "websocket",
    path: "/chat/",
    rawPath: "/chat/",
    rootPath: "",
    queryString: "",
    headers: [["cookie", cookie]],
    client: null,
    server: null,
    scheme: "ws",
    httpVersion: "1.1",
    subprotocols: [],
  };
  const receive = async () => ({ type: "websocket.connect" }) as const;
  const send = async () => {};
  const lookup = await handLookup(file);
  const time = async (run: () => Promise<unknown> | unknown) => {
    for (let i = 0; i < 1000; i++) await run(); // warm-up
    const start = process.hrtime.bigint();
    for (let i = 0; i < connections; i++) await run();
    return Number(process.hrtime.bigint() - start) / connections / 1000;
  };
  const stack = await time(() => app(scope, receive, send));
  const hand = await time(() => lookup(cookie));
  await db.close();
  if (authenticated !== connections + 1000) throw new Error("the stack did not authenticate");
  return { stack, hand };
}

async function switchboardServer(file: string): Promise<number> {
  const { authMiddlewareStack, ModelBackend } = await import("../src/auth/index.js");
  const { WebsocketConsumer } = await import("../src/consumers/index.js");
  const { protocolTypeRouter, path, urlRouter } = await import("../src/routing/index.js");
  const { serve, silentLogger } = await import("../src/server/index.js");
  const { SqliteDatabase, SqlSessionStore } = await import("../src/stores/index.js");
  const { SqlUserStore } = await import("../src/users/index.js");
  const db = new SqliteDatabase(file);
  class ChatConsumer extends WebsocketConsumer<WebsocketScope & AuthScope> {
    override async connect() {
      if (!this.scope.user.isAuthenticated) return this.close();
      await this.accept();
      await this.send({ text: `hello ${this.scope.user.username}` });
    }
  }
  const app = authMiddlewareStack(urlRouter([path("chat/", ChatConsumer.asApp())]), {
    store: new SqlSessionStore(db),
    backends: [new ModelBackend({ users: new SqlUserStore(db) })],
    secretKey: SECRET,
  });
  const server = await serve(protocolTypeRouter({ websocket: app }), {
    port: 0,
    logger: silentLogger,
    keepaliveIntervalMs: 0,
  });
  return server.port;
}

/** A database with one user and one logged-in session; resolves the cookie to send. */
async function prepare(file: string): Promise<string> {
  const { sessionAuthHash } = await import("../src/auth/session-auth-hash.js");
  const { newSessionKey } = await import("../src/sessions/session-key.js");
  const { SqliteDatabase, SqlSessionStore } = await import("../src/stores/index.js");
  const { SqlUserStore } = await import("../src/users/index.js");
  const db = new SqliteDatabase(file);
  const users = new SqlUserStore(db);
  const sessions = new SqlSessionStore(db);
  await users.migrate();
  await sessions.migrate();
  const ada = await users.create({
    username: "ada",
    passwordHash: "scrypt$N=1024,r=8,p=1$salt$aGFzaA==",
  });
  const key = await newSessionKey();
  const data = {
    _auth_user_id: String(ada.id),
    _auth_user_backend: "model",
    _auth_user_hash: sessionAuthHash(ada, SECRET),
  };
  await sessions.save(key, JSON.stringify(data), new Date(Date.now() + 3_600_000), true);
  await db.close();
  return `sessionid=${key}`;
}

async function handshake(url: string, cookie: string): Promise<void> {
  const socket = new WebSocket(url, { headers: { cookie }, perMessageDeflate: false });
  const [data] = (await once(socket, "message")) as [Buffer];
  if (data.toString() !== "hello ada") throw new Error(`unexpected greeting ${data.toString()}`);
  socket.close();
  await once(socket, "close");
}

async function measure(
  mode: string,
  file: string,
  cookie: string,
  total: number,
  concurrency: number,
) {
  const child = fork(new URL(import.meta.url).pathname, ["--serve", mode, "--file", file], {
    execArgv: [
      "--import",
      "tsx",
      ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof-auth"] : []),
    ],
  });
  const [port] = (await once(child, "message")) as [number];
  const url = `ws://127.0.0.1:${port}/chat/`;
  for (let i = 0; i < 200; i++) await handshake(url, cookie); // warm-up
  child.send("start");
  await once(child, "message");
  let started = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started++ < total) await handshake(url, cookie);
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  child.send("stop");
  const [cpuMicros] = (await once(child, "message")) as [number];
  child.send("exit");
  await once(child, "exit");
  return { perSecond: total / seconds, cpuMicrosEach: cpuMicros / total };
}

const { values } = parseArgs({
  options: {
    serve: { type: "string" },
    file: { type: "string" },
    handshakes: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "50" },
    rounds: { type: "string", default: "3" },
  },
});
if (values.serve !== undefined) {
  const file = values.file ?? "";
  const port = values.serve === "raw" ? await rawServer(file) : await switchboardServer(file);
  process.send?.(port);
  // The server's own CPU time over the measured window, which other load on the machine does
  // not inflate the way it does wall-clock throughput.
  let cpu = process.cpuUsage();
  process.on("message", (command) => {
    if (command === "start") {
      cpu = process.cpuUsage();
      process.send?.("started");
    } else if (command === "stop") {
      const used = process.cpuUsage(cpu);
      process.send?.(used.user + used.system);
    } else process.exit(0);
  });
} else {
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-auth-"));
  try {
    const file = join(dir, "bench.sqlite3");
    const cookie = await prepare(file);
    const total = Number(values.handshakes);
    const concurrency = Number(values.concurrency);
    const results: Record<string, Array<{ perSecond: number; cpuMicrosEach: number }>> = {
      raw: [],
      switchboard: [],
    };
    // Alternating rounds spread any drift in machine load over both modes.
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const mode of ["raw", "switchboard"]) {
        results[mode]!.push(await measure(mode, file, cookie, total, concurrency));
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const summary = (mode: string) => {
      const runs = results[mode]!;
      const perSecond = median(runs.map((run) => run.perSecond));
      const cpu = median(runs.map((run) => run.cpuMicrosEach));
      const rounds = runs.map((run) => run.perSecond.toFixed(0)).join(", ");
      console.log(
        `${mode.padEnd(12)} ${perSecond.toFixed(0)} handshakes/s (rounds: ${rounds}), server CPU ${cpu.toFixed(0)} µs/handshake`,
      );
      return { perSecond, cpu };
    };
    const raw = summary("raw");
    const sb = summary("switchboard");
    const alone = await inProcess(file, cookie, total * 5);
    console.log(
      `auth stack alone, in process: ${alone.stack.toFixed(1)} µs/connection; the same lookups by hand ${alone.hand.toFixed(1)} µs`,
    );
    console.log(
      `  switchboard/raw: throughput ${(sb.perSecond / raw.perSecond).toFixed(2)}x, ` +
        `CPU efficiency ${(raw.cpu / sb.cpu).toFixed(2)}x (${total} handshakes, concurrency ${concurrency})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
