import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { Figure, Scenario, ServerSample, Variant } from "./scenario.js";

const SERVER = fileURLToPath(new URL("./server-process.ts", import.meta.url));
const LOAD = fileURLToPath(new URL("./load-process.ts", import.meta.url));

type ServerMessage =
  { type: "ready"; port: number } | { type: "sample"; id: number; sample: ServerSample };
type LoadMessage =
  { type: "sample"; id: number; settle: boolean } | { type: "figures"; figures: Figure[] };

/**
 * Runs one scenario against one of its servers: server and load each in a fresh child process,
 * killed after `timeoutMs` whatever happens, so a run always ends.
 */
export async function runScenario(
  scenario: Scenario,
  variant: Variant,
  options: { quick: boolean; timeoutMs: number },
): Promise<Figure[]> {
  const server = fork(SERVER, [scenario.servers[variant]], {
    // BENCH_PROF=dir writes the server's CPU profile there (see bench/README.md)
    execArgv: [
      "--import",
      "tsx",
      "--expose-gc",
      ...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
    ],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let load: ChildProcess | null = null;
  const timer = setTimeout(() => {
    server.kill("SIGKILL");
    load?.kill("SIGKILL");
  }, options.timeoutMs);
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.on("message", (message: ServerMessage) => {
        if (message.type === "ready") resolve(message.port);
      });
      server.once("exit", () => reject(new Error(`${variant} server of ${scenario.name} exited`)));
    });
    const child = fork(LOAD, [scenario.load, String(port), options.quick ? "quick" : "full"], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    load = child;
    // the load asks for server samples through us: relay both ways
    server.on("message", (message: ServerMessage) => {
      if (message.type === "sample") child.send(message);
    });
    return await new Promise<Figure[]>((resolve, reject) => {
      child.on("message", (message: LoadMessage) => {
        if (message.type === "sample") server.send(message);
        else resolve(message.figures);
      });
      child.once("exit", (code) =>
        reject(new Error(`load of ${scenario.name} against ${variant} exited with ${code}`)),
      );
    });
  } finally {
    // a server asked to stop exits by itself, so a CPU profile gets written; kill what lingers
    if (server.connected) server.send({ type: "stop" });
    const stopping = setTimeout(() => server.kill("SIGKILL"), 5000);
    for (const child of [load, server]) {
      if (child !== null && child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        if (child === load) child.kill("SIGKILL");
        await exited;
      }
    }
    clearTimeout(stopping);
    clearTimeout(timer);
  }
}
