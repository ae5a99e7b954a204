/**
 * Load for the echo scenario: idle-connection memory, handshake rate (sequential and parallel),
 * pipelined echo throughput with the server's CPU time per message, and ping-pong round trips.
 */
import { WebSocket } from "ws";
import type { Figure, LoadContext } from "../../harness/scenario.js";

const PAYLOAD = "switchboard echo benchmark payload, 64 bytes long, text frame.."; // 64 B

function open(url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

function closeAll(sockets: WebSocket[]): Promise<unknown> {
  return Promise.all(
    sockets.map((ws) => {
      if (ws.readyState === WebSocket.CLOSED) return null;
      const closed = new Promise((resolve) => ws.once("close", resolve));
      ws.close();
      return closed;
    }),
  );
}

/** Runs `task` `count` times with at most `concurrency` at once. */
async function pool(count: number, concurrency: number, task: () => Promise<void>): Promise<void> {
  let started = 0;
  const worker = async () => {
    while (started < count) {
      started++;
      await task();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function idleMemory(context: LoadContext, count: number) {
  const before = await context.sample({ settle: true });
  const sockets: WebSocket[] = [];
  await pool(count, 100, async () => {
    sockets.push(await open(`${context.wsUrl}/ws/echo/`));
  });
  const after = await context.sample({ settle: true });
  await closeAll(sockets);
  // collect the closed sockets now: left to the next phases, the major GCs that free them land
  // inside their windows and cost the side that held more per socket
  await context.sample({ settle: true });
  return {
    rss: (after.rss - before.rss) / count,
    heap: (after.heapUsed - before.heapUsed) / count,
  };
}

async function handshakes(context: LoadContext, count: number, concurrency: number) {
  const closing: Array<Promise<unknown>> = [];
  const cpuBefore = (await context.sample()).cpuMicros;
  const started = performance.now();
  await pool(count, concurrency, async () => {
    const ws = await open(`${context.wsUrl}/ws/echo/`);
    closing.push(closeAll([ws]));
  });
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(closing);
  const cpu = (await context.sample()).cpuMicros - cpuBefore;
  return { rate: count / seconds, cpuPerHandshake: cpu / count };
}

async function throughput(context: LoadContext, connections: number, perConnection: number) {
  const window = 16;
  const sockets = await Promise.all(
    Array.from({ length: connections }, () => open(`${context.wsUrl}/ws/echo/`)),
  );
  const cpuBefore = (await context.sample()).cpuMicros;
  const started = performance.now();
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let sent = 0;
          let received = 0;
          ws.on("message", () => {
            received++;
            if (sent < perConnection) {
              ws.send(PAYLOAD);
              sent++;
            }
            if (received === perConnection) resolve();
          });
          for (; sent < window; sent++) ws.send(PAYLOAD);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await context.sample()).cpuMicros - cpuBefore;
  await closeAll(sockets);
  const total = connections * perConnection;
  return { rate: total / seconds, cpuPerMessage: cpu / total };
}

async function roundTrips(context: LoadContext, connections: number, perConnection: number) {
  const sockets = await Promise.all(
    Array.from({ length: connections }, () => open(`${context.wsUrl}/ws/echo/`)),
  );
  const samples: number[] = [];
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          let sentAt = performance.now();
          let count = 0;
          ws.on("message", () => {
            samples.push(performance.now() - sentAt);
            if (++count === perConnection) return resolve();
            sentAt = performance.now();
            ws.send(PAYLOAD);
          });
          ws.send(PAYLOAD);
        }),
    ),
  );
  await closeAll(sockets);
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99) };
}

/** The echo scenario's load: see the module comment for the phases. */
export async function load(context: LoadContext): Promise<Figure[]> {
  const scale = context.quick ? 0.25 : 1;
  const n = (value: number) => Math.max(1, Math.round(value * scale));
  // A light warm-up (JIT, buffer pools) before the memory baseline; heavy traffic first would
  // leave freed pages in the baseline that the idle sockets then reuse, hiding their cost.
  await throughput(context, 20, 50);
  const memory = await idleMemory(context, n(10_000));
  // the settled samples' forced GCs made V8 drop optimized code: warm up again, so the windows
  // below measure a running server
  await handshakes(context, n(1000), 50);
  const sequential = await handshakes(context, n(300), 1);
  const parallel = await handshakes(context, n(1500), 50);
  const echo = await throughput(context, 50, n(1200));
  const latency = await roundTrips(context, 10, n(200));
  return [
    {
      name: "handshakes/s, sequential",
      value: sequential.rate,
      unit: "1/s",
      better: "higher",
      target: 0.85,
    },
    {
      name: "handshakes/s, 50 parallel",
      value: parallel.rate,
      unit: "1/s",
      better: "higher",
      target: 0.85,
    },
    {
      name: "server CPU per handshake",
      value: parallel.cpuPerHandshake,
      unit: "µs",
      better: "lower",
    },
    {
      name: "echo messages/s, 50 conns x16 pipelined",
      value: echo.rate,
      unit: "1/s",
      better: "higher",
      target: 0.85,
    },
    {
      name: "server CPU per echoed message",
      value: echo.cpuPerMessage,
      unit: "µs",
      better: "lower",
    },
    { name: "round trip p50, 10 conns ping-pong", value: latency.p50, unit: "ms", better: "lower" },
    { name: "round trip p99, 10 conns ping-pong", value: latency.p99, unit: "ms", better: "lower" },
    {
      name: `server RSS per idle connection (${n(10_000)})`,
      value: memory.rss,
      unit: "bytes",
      better: "lower",
      target: 1.3,
      combine: "mean",
    },
    {
      name: `server heap per idle connection (${n(10_000)})`,
      value: memory.heap,
      unit: "bytes",
      better: "lower",
      combine: "mean",
    },
  ];
}
