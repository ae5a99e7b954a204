/**
 * Load for the demo scenario, as a user's load generator would drive the chat demo: sign up and
 * log in over HTTP (each form posted with the CSRF token of its page), then, with that session
 * cookie, the first 5 s of logged-in connections (cold), idle sockets (memory), and at steady
 * state handshakes on `/ws/echo/`, pipelined echo and one room's fan-out on `/ws/chat/<room>/`.
 */
import { once } from "node:events";
import { WebSocket } from "ws";
import { ChatClient } from "../../../examples/chat/testing/chat-client.js";
import type { Figure, LoadContext } from "../../harness/scenario.js";
import { ROOM } from "./fixture.js";

const USERNAME = "loadgen";
const PASSWORD = "violet-anchor-2931-quartz";
const PAYLOAD = "switchboard echo benchmark payload, 64 bytes long, text frame.."; // 64 B
const COLD_MS = 5000;
// A room the size of a busy chat: a newcomer hears one presence roster per process, whatever the
// room's size; 20 join at a time.
const ROOM_MEMBERS = 200;
const JOIN_BATCH = 20;

/** Posts `path`'s form as a browser would: GET the page, then POST with its hidden CSRF token. */
async function submit(client: ChatClient, path: string, fields: Record<string, string>) {
  const page = await (await client.request(path)).text();
  const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(page)?.[1];
  if (token === undefined) throw new Error(`${path} has no CSRF token in its form:\n${page}`);
  const response = await client.request(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...fields, csrfmiddlewaretoken: token }).toString(),
  });
  if (response.status >= 400) {
    throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  }
}

/** Signs up, then logs in with a fresh client; resolves that client's Cookie header. */
async function logIn(httpUrl: string): Promise<string> {
  const credentials = { username: USERNAME, password: PASSWORD };
  await submit(new ChatClient(httpUrl), "/signup/", { ...credentials, password2: PASSWORD });
  const client = new ChatClient(httpUrl);
  await submit(client, "/login/", credentials);
  if (!client.cookies.has("sessionid")) throw new Error("the login set no sessionid cookie");
  return [...client.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
}

function open(url: string, cookie: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false, headers: { cookie } });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_request, response) =>
      reject(new Error(`${url} refused the handshake: ${response.statusCode}`)),
    );
    ws.once("error", reject);
  });
}

async function close(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return;
  const closed = once(ws, "close");
  ws.close();
  await closed;
}

/** Runs `task` with `concurrency` workers until `more()` says stop; resolves how many ran. */
async function pool(
  concurrency: number,
  more: (done: number) => boolean,
  task: () => Promise<void>,
) {
  let started = 0;
  const worker = async () => {
    while (more(started)) {
      started++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return started;
}

/** Server CPU per operation of `run`, which resolves how many operations it did. */
async function cpuPer(context: LoadContext, run: () => Promise<number>): Promise<number> {
  const before = (await context.sample()).cpuMicros;
  const operations = await run();
  return ((await context.sample()).cpuMicros - before) / operations;
}

/** The first `COLD_MS` of logged-in connections, 50 at a time: open, one echo, close. */
function cold(context: LoadContext, url: string, cookie: string): Promise<number> {
  const until = performance.now() + COLD_MS;
  return cpuPer(context, () =>
    pool(
      50,
      () => performance.now() < until,
      async () => {
        const ws = await open(url, cookie);
        const echoed = once(ws, "message");
        ws.send(PAYLOAD);
        await echoed;
        await close(ws);
      },
    ),
  );
}

async function idleMemory(context: LoadContext, url: string, cookie: string, count: number) {
  const before = await context.sample({ settle: true });
  const sockets: WebSocket[] = [];
  await pool(
    100,
    (done) => done < count,
    async () => {
      sockets.push(await open(url, cookie));
    },
  );
  const after = await context.sample({ settle: true });
  await Promise.all(sockets.map(close));
  // collect the closed sockets now, not inside the next phase's CPU window
  await context.sample({ settle: true });
  return {
    rss: (after.rss - before.rss) / count,
    heap: (after.heapUsed - before.heapUsed) / count,
  };
}

function handshakes(url: string, cookie: string, count: number): Promise<number> {
  return pool(
    50,
    (done) => done < count,
    async () => close(await open(url, cookie)),
  );
}

/** `connections` sockets each echoing `perConnection` messages, 16 in flight on each. */
async function echoes(url: string, cookie: string, connections: number, perConnection: number) {
  const sockets = await Promise.all(Array.from({ length: connections }, () => open(url, cookie)));
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let sent = 0;
          let received = 0;
          ws.on("message", () => {
            if (sent < perConnection) {
              ws.send(PAYLOAD);
              sent++;
            }
            if (++received === perConnection) resolve();
          });
          for (; sent < 16; sent++) ws.send(PAYLOAD);
        }),
    ),
  );
  await Promise.all(sockets.map(close));
  return connections * perConnection;
}

/** Joins `members` sockets to the room, then times rounds of one message to all of them. */
async function fanOut(context: LoadContext, cookie: string, members: number, rounds: number) {
  const url = `${context.wsUrl}/ws/chat/${ROOM}/`;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < members; i += JOIN_BATCH) {
    const batch = Math.min(JOIN_BATCH, members - i);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => open(url, cookie)))));
  }
  const round = async (n: number) => {
    const text = `round ${n}`;
    const arrivals = sockets.map(async (ws) => {
      // other rounds' messages cannot arrive: each round waits for the previous one everywhere
      const [data] = (await once(ws, "message")) as [Buffer];
      if (String(data) !== text) throw new Error(`expected "${text}", got "${data}"`);
    });
    sockets[n % sockets.length]!.send(text);
    await Promise.all(arrivals);
  };
  // warm-up by deliveries (50,000), as in the group-fanout scenario
  const warmup = Math.ceil(50_000 / members);
  for (let n = 0; n < warmup; n++) await round(n);
  const perDelivery = await cpuPer(context, async () => {
    for (let n = warmup; n < warmup + rounds; n++) await round(n);
    return rounds * members;
  });
  await Promise.all(sockets.map(close));
  return perDelivery;
}

/** The demo scenario's load: see the module comment for the phases. */
export async function load(context: LoadContext): Promise<Figure[]> {
  const n = (value: number) => Math.max(1, Math.round(value * (context.quick ? 0.25 : 1)));
  const cookie = await logIn(context.httpUrl);
  const echoUrl = `${context.wsUrl}/ws/echo/`;
  const coldConnection = await cold(context, echoUrl, cookie);
  // Memory has no target here (issue 15's targets are echo's): after the cold phase, RSS counts
  // pages each server grew into and kept, which idle sockets then reuse; the heap is the figure.
  const memory = await idleMemory(context, echoUrl, cookie, n(5000));
  // steady state: warm up (the framework has more code to optimize, see auth-handshake's load),
  // then measure; the settled samples above made V8 drop optimized code
  await handshakes(echoUrl, cookie, n(5000));
  const handshake = await cpuPer(context, () => handshakes(echoUrl, cookie, n(2000)));
  await echoes(echoUrl, cookie, 20, n(200));
  const echo = await cpuPer(context, () => echoes(echoUrl, cookie, 50, n(1200)));
  const delivery = await fanOut(context, cookie, ROOM_MEMBERS, n(250));
  return [
    {
      name: "cold, first 5 s: server CPU per connection (handshake, echo, close)",
      value: coldConnection,
      unit: "µs",
      better: "lower",
      target: 1.5,
    },
    {
      name: "server CPU per logged-in handshake on /ws/echo/",
      value: handshake,
      unit: "µs",
      better: "lower",
      target: 1.3,
    },
    {
      name: "server CPU per echoed message, 50 conns x16 pipelined",
      value: echo,
      unit: "µs",
      better: "lower",
      target: 1.15,
    },
    {
      name: `server CPU per chat delivery, ${ROOM_MEMBERS} sockets in a room`,
      value: delivery,
      unit: "µs",
      better: "lower",
      target: 1.0,
    },
    {
      name: `server RSS per idle logged-in socket (${n(5000)})`,
      value: memory.rss,
      unit: "bytes",
      better: "lower",
      combine: "mean",
    },
    {
      name: `server heap per idle logged-in socket (${n(5000)})`,
      value: memory.heap,
      unit: "bytes",
      better: "lower",
      combine: "mean",
    },
  ];
}
