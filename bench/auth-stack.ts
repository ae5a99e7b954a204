/**
 * Per-connection cost of the authentication stack, in process (no sockets): the auth-handshake
 * scenario's application (authMiddlewareStack → urlRouter → WebsocketConsumer) serving one
 * logged-in connection from connect to disconnect, next to `rawUserLookup` doing the same SQLite
 * lookups and hash check by hand. Without sockets and a second process on the cores, this moves
 * by a few % between runs where the socket benchmark moves by 20 %: judge a change to the
 * middleware, session or consumer path by it. Bytes allocated per connection (V8's sampling heap
 * profiler, counting what was collected too) do not move at all, and drive the GC time a server
 * pays.
 *
 *   node --import tsx bench/auth-stack.ts [--connections 20000]
 */
import { Session as Inspector } from "node:inspector/promises";
import { setImmediate } from "node:timers/promises";
import { parseArgs } from "node:util";
import type { ReceiveEvent, SendEvent, WebsocketScope } from "switchboard";
import { GREETING, prepareDatabase, SESSION_COOKIE } from "./scenarios/auth-handshake/fixture.js";
import { rawUserLookup } from "./scenarios/auth-handshake/raw-lookup.js";
import { authApplication } from "./scenarios/auth-handshake/switchboard-server.js";

const { values } = parseArgs({ options: { connections: { type: "string", default: "20000" } } });
const connections = Number(values.connections);

const file = await prepareDatabase();
const application = authApplication(file);
const userFor = rawUserLookup(file);

const CONNECT: ReceiveEvent = { type: "websocket.connect" };
const DISCONNECT: ReceiveEvent = { type: "websocket.disconnect", code: 1000 };

// Header pairs every client sends alike, shared as the server shares them (see HeaderPairs).
const VERSION = ["sec-websocket-version", "13"] as const;
const CONNECTION = ["connection", "Upgrade"] as const;
const UPGRADE = ["upgrade", "websocket"] as const;
const HOST = ["host", "127.0.0.1:8000"] as const;
const SERVER = ["127.0.0.1", 8000] as const;

/**
 * The server's side of one connection: connect, then the disconnect once the greeting went out.
 * A class with bound methods, as the server's session is, so the driver costs what the server
 * would (closures in this file would each pay for tsx's name-keeping).
 */
class Connection {
  greeting: string | undefined = undefined;
  #connected = false;
  #greeted: (event: ReceiveEvent) => void = () => {};
  readonly #left = new Promise<ReceiveEvent>((resolve) => (this.#greeted = resolve));

  receive(): Promise<ReceiveEvent> {
    if (this.#connected) return this.#left;
    this.#connected = true;
    return Promise.resolve(CONNECT);
  }

  send(event: SendEvent): Promise<void> {
    if (event.type === "websocket.send") {
      this.greeting = event.text;
      this.#greeted(DISCONNECT);
    }
    return Promise.resolve();
  }
}

/** One connection as the server would hand it over: connect, the greeting, the client leaves. */
async function switchboardConnection(): Promise<void> {
  // what the server builds from a `ws` client's upgrade request
  const scope: WebsocketScope = {
    type: "websocket",
    scheme: "ws",
    httpVersion: "1.1",
    path: "/chat/",
    rawPath: "/chat/",
    rootPath: "",
    queryString: "",
    headers: [
      VERSION,
      ["sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="],
      CONNECTION,
      UPGRADE,
      ["cookie", SESSION_COOKIE],
      HOST,
    ],
    client: ["127.0.0.1", 50000],
    server: SERVER,
    subprotocols: [],
  };
  const connection = new Connection();
  await application(scope, connection.receive.bind(connection), connection.send.bind(connection));
  if (connection.greeting !== GREETING) {
    throw new Error(`expected "${GREETING}", got "${connection.greeting}"`);
  }
}

/** The same lookups by hand; the await stands for the server's hand-over. */
async function rawConnection(): Promise<void> {
  if (userFor(SESSION_COOKIE)?.username !== "ada") throw new Error("the raw lookup found no user");
  await Promise.resolve();
}

/**
 * Serves `count` connections one after the other, each in a turn of the event loop of its own,
 * as a server serves one arriving alone: what lasts for a turn (SqliteDatabase's shared read
 * transaction) must not carry over to the next connection. Both sides pay the same for the turn.
 */
async function repeat(connection: () => Promise<void>, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await connection();
    await setImmediate();
  }
}

/** µs per connection over `connections`, after a warm-up. */
async function measure(connection: () => Promise<void>): Promise<number> {
  await repeat(connection, 3000);
  const started = process.hrtime.bigint();
  await repeat(connection, connections);
  return Number(process.hrtime.bigint() - started) / connections / 1000;
}

interface SamplingNode {
  selfSize: number;
  children: SamplingNode[];
}

/** Bytes allocated per connection, over 2,000 connections, after a warm-up. */
async function allocated(connection: () => Promise<void>): Promise<number> {
  const count = 2000;
  await repeat(connection, 3000);
  const inspector = new Inspector();
  inspector.connect();
  await inspector.post("HeapProfiler.startSampling", {
    samplingInterval: 32,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await repeat(connection, count);
  const { profile } = await inspector.post("HeapProfiler.stopSampling");
  inspector.disconnect();
  const total = (node: SamplingNode): number =>
    node.children.reduce((sum, child) => sum + total(child), node.selfSize);
  return total(profile.head as SamplingNode) / count;
}

// alternating rounds; the best of each (noise only slows a round)
let switchboard = Infinity;
let raw = Infinity;
for (let round = 0; round < 3; round++) {
  switchboard = Math.min(switchboard, await measure(switchboardConnection));
  raw = Math.min(raw, await measure(rawConnection));
}
const switchboardBytes = await allocated(switchboardConnection);
const rawBytes = await allocated(rawConnection);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(
  `switchboard: ${switchboard.toFixed(1)} µs, ${kb(switchboardBytes)} allocated per authenticated connection`,
);
console.log(`by hand:     ${raw.toFixed(1)} µs, ${kb(rawBytes)} allocated per lookup`);
console.log(
  `framework:   ${(switchboard - raw).toFixed(1)} µs (${(switchboard / raw).toFixed(2)} × by hand), ${kb(switchboardBytes - rawBytes)} per connection`,
);
