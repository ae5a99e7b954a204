/**
 * How a server process answers the harness: `sample` requests with its RSS, heap and CPU time
 * (settled ones after forced GCs), `stop` by exiting. Shared by `server-process.ts`, which starts a
 * server module, and `sampler-preload.ts`, which rides along in a server command's own process.
 */
import { setTimeout } from "node:timers/promises";
import { getHeapSpaceStatistics } from "node:v8";
import type { ServerSample } from "./scenario.js";

/** What the harness sends a server process. */
export type SamplerRequest =
  { type: "sample"; id: number; settle: boolean } | { type: "started" } | { type: "stop" };

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
 * Samples once V8's memory reducer has shrunk the young generation back to its size when the
 * server had started, and RSS has then held steady for 1.5 s: the pages it frees leave RSS up to
 * a second after the shrink.
 */
async function settledSample(startingYoungGeneration: number): Promise<ServerSample> {
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

/**
 * Answers the harness's requests over IPC. The young generation's size is noted when the server
 * has started (now, or on a `started` request for a process that cannot tell by itself), as
 * the size a settled sample waits for.
 */
export function answerSamples({ started }: { started: boolean }): void {
  let startingYoungGeneration = started ? youngGeneration() : Infinity;
  process.on("message", (request: SamplerRequest) => {
    if (request.type === "stop") process.exit(0);
    if (request.type === "started") startingYoungGeneration = youngGeneration();
    if (request.type !== "sample") return;
    void (
      request.settle ? settledSample(startingYoungGeneration) : Promise.resolve(sample(false))
    ).then((result) => process.send?.({ type: "sample", id: request.id, sample: result }));
  });
  process.on("disconnect", () => process.exit(0));
}
