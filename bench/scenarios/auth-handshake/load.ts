/**
 * Load for the auth-handshake scenario: clients carrying a logged-in session cookie connect, wait
 * for the greeting that proves the server resolved the user, and close; sequentially and 50 at a
 * time, with the server's CPU time per handshake.
 */
import { once } from "node:events";
import { WebSocket } from "ws";
import type { Figure, LoadContext } from "../../harness/scenario.js";
import { GREETING, SESSION_COOKIE } from "./fixture.js";

async function handshake(url: string): Promise<void> {
  const ws = new WebSocket(url, { perMessageDeflate: false, headers: { cookie: SESSION_COOKIE } });
  const [data] = (await once(ws, "message")) as [Buffer];
  if (data.toString() !== GREETING) throw new Error(`expected "${GREETING}", got "${data}"`);
  ws.close();
  await once(ws, "close");
}

async function handshakes(context: LoadContext, count: number, concurrency: number) {
  const url = `${context.wsUrl}/chat/`;
  const cpuBefore = (await context.sample()).cpuMicros;
  const started = performance.now();
  let begun = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (begun < count) {
        begun++;
        await handshake(url);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = (await context.sample()).cpuMicros - cpuBefore;
  return { rate: count / seconds, cpuPerHandshake: cpu / count };
}

/** The auth-handshake scenario's load. */
export async function load(context: LoadContext): Promise<Figure[]> {
  const n = (value: number) => Math.max(1, Math.round(value * (context.quick ? 0.25 : 1)));
  // warm-up to steady state: JIT (the framework has more code to optimize than the raw server),
  // prepared statements, buffer pools. Server CPU per handshake, in windows of 1,500: 890, 600,
  // 360, 305, 315 µs (Switchboard) and 580, 390, 280, 265, 260 µs (raw): both settle only after
  // ~4,500, so a shorter warm-up measured the framework while it was still compiling.
  await handshakes(context, n(5000), 50);
  const sequential = await handshakes(context, n(500), 1);
  const parallel = await handshakes(context, n(2000), 50);
  return [
    {
      name: "authenticated handshakes/s, sequential",
      value: sequential.rate,
      unit: "1/s",
      better: "higher",
      target: 0.8,
    },
    {
      name: "authenticated handshakes/s, 50 parallel",
      value: parallel.rate,
      unit: "1/s",
      better: "higher",
      target: 0.8,
    },
    {
      name: "server CPU per authenticated handshake",
      value: parallel.cpuPerHandshake,
      unit: "µs",
      better: "lower",
    },
  ];
}
