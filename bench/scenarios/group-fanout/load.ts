/**
 * Load for the group-fanout scenario: opens N sockets, then rounds of one "go" each; a round
 * lasts until every socket has the message. Figures per N: the median round (time until all
 * sockets have it), the server's CPU time per delivery over the measured rounds, and the p50/p99
 * of every socket's latency, from sending "go".
 */
import { once } from "node:events";
import { WebSocket } from "ws";
import type { Figure, LoadContext } from "../../harness/scenario.js";
import { GO } from "./fixture.js";

const WARMUP_ROUNDS = 5;
const WARMUP_DELIVERIES = 50_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function fanout(context: LoadContext, sockets: number, rounds: number) {
  const url = `${context.wsUrl}/`;
  const clients: WebSocket[] = [];
  // In batches, so the accept backlog never overflows.
  for (let i = 0; i < sockets; i += 500) {
    const batch = Array.from(
      { length: Math.min(500, sockets - i) },
      () => new WebSocket(url, { perMessageDeflate: false }),
    );
    await Promise.all(batch.map((ws) => once(ws, "open")));
    clients.push(...batch);
  }
  const latencies: number[] = [];
  const totals: number[] = [];
  // Warm-up by deliveries, not rounds: five rounds are 50,000 handler calls on 10,000 sockets but
  // only 5,000 on 1,000, where the framework's dispatch path was still being optimized.
  const warmup = Math.max(WARMUP_ROUNDS, Math.ceil(WARMUP_DELIVERIES / sockets));
  let cpuBefore = 0;
  for (let round = -warmup; round < rounds; round++) {
    if (round === 0) cpuBefore = (await context.sample()).cpuMicros;
    const started = performance.now();
    const arrivals = clients.map((ws) =>
      once(ws, "message").then(() => performance.now() - started),
    );
    clients[0]!.send(GO);
    const received = await Promise.all(arrivals);
    if (round >= 0) {
      latencies.push(...received);
      totals.push(Math.max(...received));
    }
  }
  const cpu = (await context.sample()).cpuMicros - cpuBefore;
  await Promise.all(clients.map((ws) => (ws.close(), once(ws, "close"))));
  latencies.sort((a, b) => a - b);
  totals.sort((a, b) => a - b);
  return {
    all: percentile(totals, 50),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpuPerDelivery: cpu / (rounds * sockets),
  };
}

/** The group-fanout scenario's load. */
export async function load(context: LoadContext): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const sockets of context.quick ? [1000] : [1000, 10_000]) {
    const result = await fanout(context, sockets, context.quick ? 5 : 10);
    const label = sockets.toLocaleString("en");
    figures.push(
      {
        name: `${label} sockets: all have the message`,
        value: result.all,
        unit: "ms",
        better: "lower",
        target: 1.25,
      },
      {
        name: `${label} sockets: server CPU per delivery`,
        value: result.cpuPerDelivery,
        unit: "µs",
        better: "lower",
        target: 1.0,
      },
      {
        name: `${label} sockets: per-socket latency p50`,
        value: result.p50,
        unit: "ms",
        better: "lower",
      },
      {
        name: `${label} sockets: per-socket latency p99`,
        value: result.p99,
        unit: "ms",
        better: "lower",
      },
    );
  }
  return figures;
}
