/**
 * Child process entry: starts the server module given as argv[2], reports its port over IPC,
 * answers `sample` requests with RSS, heap and CPU time (settled ones after forced GCs) and, for a
 * module that exports `broadcast` (bench/scale), `broadcast` requests with when the send started;
 * exits on `stop` or when the parent goes away.
 */
import { setTimeout } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { getHeapSpaceStatistics } from "node:v8";
import { resolve } from "node:path";
import type { Broadcast, ServerSample, StartServer } from "./scenario.js";

type Request =
  | { type: "sample"; id: number; settle: boolean }
  | { type: "broadcast"; id: number }
  | { type: "stop" };

const send = (message: unknown) => process.send?.(message);
const module = (await import(pathToFileURL(resolve(process.argv[2] as string)).href)) as {
  start: StartServer;
  broadcast?: Broadcast;
};
const port = await module.start();
const startingYoungGeneration = youngGeneration();

function youngGeneration(): number {
  return (
    getHeapSpaceStatistics().find((space) => space.space_name === "new_space")?.space_size ?? 0
  );
}

/**
 * The server's figures now. `collect` first runs several full collections, so garbage from the
 * previous phase does not count as connection memory. CPU samples skip them: forced full
 * collections cost CPU inside the window they end and make V8 drop optimized code, which the next
 * window then compiles again (nothing in production calls gc()).
 */
function sample(collect: boolean): ServerSample {
  if (collect) for (let i = 0; i < 3; i++) globalThis.gc?.();
  const cpu = process.cpuUsage();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed, cpuMicros: cpu.user + cpu.system };
}

/**
 * Samples once V8's memory reducer has shrunk the young generation and RSS has then held steady
 * for 1.5 s: the pages it frees leave RSS up to a second after the shrink.
 */
async function settledSample(): Promise<ServerSample> {
  const deadline = performance.now() + 15_000;
  let previous = sample(true);
  let steadyRounds = 0;
  for (;;) {
    await setTimeout(500);
    const next = sample(true);
    const shrunk = youngGeneration() <= startingYoungGeneration;
    steadyRounds = shrunk && next.rss > previous.rss - 256 * 1024 ? steadyRounds + 1 : 0;
    if (steadyRounds === 3 || performance.now() > deadline) return next;
    previous = next;
  }
}

process.on("message", (request: Request) => {
  if (request.type === "stop") process.exit(0);
  if (request.type === "broadcast") {
    if (module.broadcast === undefined) throw new Error(`${process.argv[2]} exports no broadcast`);
    send({ type: "broadcast", id: request.id, sentAt: module.broadcast() });
    return;
  }
  void (request.settle ? settledSample() : Promise.resolve(sample(false))).then((result) =>
    send({ type: "sample", id: request.id, sample: result }),
  );
});
process.on("disconnect", () => process.exit(0));
send({ type: "ready", port });
