/**
 * Child process entry: starts the server module given as argv[2], reports its port over IPC,
 * answers `sample` requests with RSS (after a forced GC) and CPU time, and exits on `stop` or
 * when the parent goes away.
 */
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import type { ServerSample, StartServer } from "./scenario.js";

type Request = { type: "sample"; id: number } | { type: "stop" };

const send = (message: unknown) => process.send?.(message);
const module = (await import(pathToFileURL(resolve(process.argv[2] as string)).href)) as {
  start: StartServer;
};
const port = await module.start();
process.on("message", (request: Request) => {
  if (request.type === "stop") process.exit(0);
  // several collections, so garbage from the previous phase does not count as connection memory
  for (let i = 0; i < 3; i++) globalThis.gc?.();
  const cpu = process.cpuUsage();
  const { rss, heapUsed } = process.memoryUsage();
  const sample: ServerSample = { rss, heapUsed, cpuMicros: cpu.user + cpu.system };
  send({ type: "sample", id: request.id, sample });
});
process.on("disconnect", () => process.exit(0));
send({ type: "ready", port });
