/**
 * One server of the scale bench, from a fresh process to its figures: a settled baseline, the
 * fill (every socket opened by one load process), a settled sample with all of them idle, then
 * group messages, each timed from the server's send to the load's last receive.
 */
import { fileURLToPath } from "node:url";
import type { ServerSample } from "../harness/scenario.js";
import { openFds } from "../soak/proc.js";
import { Child } from "./child.js";
import type { LoadMessage, ReceivedReport } from "./load-process.js";

const SERVER = fileURLToPath(new URL("../harness/server-process.ts", import.meta.url));
const LOAD = fileURLToPath(new URL("./load-process.ts", import.meta.url));

export interface VariantOptions {
  name: string;
  /** The server module (bench/scale/*-server.ts). */
  module: string;
  /** The server's environment: `SCALE_DATABASE`, and what it serves (see switchboard-server.ts). */
  serverEnv: Record<string, string>;
  sockets: number;
  /** Source addresses the load connects from. */
  sources: string[];
  inFlight: number;
  messages: number;
  /** CPUs of the server and of the load process, or `null` for unpinned. */
  pin: { server: string; load: string } | null;
}

export interface VariantFigures {
  name: string;
  open: number;
  failed: number;
  /** Seconds from the first connect to the last socket open. */
  fillSeconds: number;
  baseline: ServerSample;
  /** Settled, with every socket open and idle. */
  idle: ServerSample;
  fds: number;
  /**
   * Per group message: ms from the send to the last socket's receive, sockets that got it, and
   * the CPU time the server and the load spent meanwhile (which the machine's other work moves
   * less than the wall time).
   */
  deliveries: { ms: number; received: number; serverCpuMs: number; loadCpuMs: number }[];
}

type Filled = Extract<LoadMessage, { type: "filled" }>;
type Progress = Extract<LoadMessage, { type: "progress" }>;

/** Descriptors a process holds besides its sockets (stdio, IPC, epoll, the database files). */
export const DESCRIPTOR_MARGIN = 256;
let nextId = 0;

async function sample(server: Child, settle: boolean): Promise<ServerSample> {
  const id = nextId++;
  const answer = server.next<{ type: "sample"; id: number; sample: ServerSample }>("sample", id);
  server.send({ type: "sample", id, settle });
  return (await answer).sample;
}

async function deliver(server: Child, load: Child): Promise<VariantFigures["deliveries"][0]> {
  const id = nextId++;
  const armed = load.next("armed", id);
  load.send({ type: "expect", id });
  await armed;
  const before = await sample(server, false);
  const sent = server.next<{ type: "broadcast"; id: number; sentAt: number }>("broadcast", id);
  const received = load.next<ReceivedReport>("received", id, 30_000);
  server.send({ type: "broadcast", id });
  const { sentAt } = await sent;
  const report = await received.catch(async () => {
    const partial = load.next<ReceivedReport>("received", id);
    load.send({ type: "report", id });
    return partial;
  });
  const after = await sample(server, false);
  return {
    ms: report.lastAt - sentAt,
    received: report.received,
    serverCpuMs: (after.cpuMicros - before.cpuMicros) / 1000,
    loadCpuMs: report.cpuMicros / 1000,
  };
}

export async function runVariant(
  options: VariantOptions,
  log: (line: string) => void,
): Promise<VariantFigures> {
  const descriptors = options.sockets + DESCRIPTOR_MARGIN;
  const server = new Child(SERVER, [options.module], {
    cpus: options.pin?.server ?? null,
    descriptors,
    nodeOptions: ["--expose-gc"],
    env: options.serverEnv,
  });
  let load: Child | null = null;
  try {
    const { port } = await server.next<{ type: "ready"; port: number }>("ready");
    const baseline = await sample(server, true);
    const started = performance.now();
    load = new Child(
      LOAD,
      [
        `ws://127.0.0.1:${port}/ws/`,
        "0",
        String(options.sockets),
        options.sources.join(","),
        String(options.inFlight),
      ],
      // its heap holds a `ws` client per socket: more than Node's default limit at 200,000
      { cpus: options.pin?.load ?? null, descriptors, nodeOptions: ["--max-old-space-size=8192"] },
    );
    let shown = 0;
    const stopProgress = load.onEach<Progress>("progress", ({ open, failed }) => {
      const seconds = (performance.now() - started) / 1000;
      if (seconds - shown < 5) return;
      shown = seconds;
      log(`${options.name}: ${open} open, ${failed} failed, ${Math.round(open / seconds)}/s`);
    });
    const filled = await load.next<Filled>("filled");
    stopProgress();
    const fillSeconds = (performance.now() - started) / 1000;
    if (filled.firstError !== null) log(`${options.name}: first error: ${filled.firstError}`);
    if (filled.closed > 0) log(`${options.name}: ${filled.closed} sockets closed while filling`);
    const idle = await sample(server, true);
    const fds = openFds(server.pid);
    const deliveries = [];
    for (let m = 0; m < options.messages; m++) deliveries.push(await deliver(server, load));
    return {
      name: options.name,
      open: filled.open,
      failed: filled.failed,
      fillSeconds,
      baseline,
      idle,
      fds,
      deliveries,
    };
  } finally {
    // the server goes first, so the kernel keeps TIME_WAIT on its side, not on the load's ports
    await server.kill();
    await load?.kill();
  }
}
