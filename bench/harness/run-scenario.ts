import { fork, spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort } from "../../test/support/ports.js";
import type { Figure, Scenario, ServerCommand, ServerSample, Variant } from "./scenario.js";

const SERVER = fileURLToPath(new URL("./server-process.ts", import.meta.url));
const SAMPLER = fileURLToPath(new URL("./sampler-preload.ts", import.meta.url));
const LOAD = fileURLToPath(new URL("./load-process.ts", import.meta.url));

type ServerMessage =
  { type: "ready"; port: number } | { type: "sample"; id: number; sample: ServerSample };
type LoadMessage =
  { type: "sample"; id: number; settle: boolean } | { type: "figures"; figures: Figure[] };

/** A server process under test, listening on `port`; `dispose` removes what it left behind. */
interface RunningServer {
  child: ChildProcess;
  port: number;
  dispose(): void;
}

// BENCH_PROF=dir writes the server's CPU profile there (see bench/README.md)
function serverExecArgv(): string[] {
  return [
    "--import",
    // resolved here: a command server runs in a temporary directory
    import.meta.resolve("tsx"),
    "--expose-gc",
    ...(process.env.BENCH_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
  ];
}

function exited(child: ChildProcess, what: string, output = () => ""): Promise<never> {
  return new Promise((_, reject) =>
    child.once("exit", (code, signal) =>
      reject(new Error(`${what} exited (${signal ?? code})${output()}`)),
    ),
  );
}

/** Forks `server-process.ts` on a server module; it says which port it bound. */
async function startModule(module: string, what: string): Promise<RunningServer> {
  const child = fork(SERVER, [module], {
    execArgv: serverExecArgv(),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = new Promise<number>((resolve) => {
    child.on("message", (message: ServerMessage) => {
      if (message.type === "ready") resolve(message.port);
    });
  });
  const port = await Promise.race([ready, exited(child, what)]);
  return { child, port, dispose() {} };
}

/** Resolves once something accepts connections on the loopback `port`, or `child` has exited. */
async function listening(port: number, child: ChildProcess): Promise<void> {
  while (child.exitCode === null && child.signalCode === null) {
    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (accepted) return;
    await sleep(50);
  }
}

/** Spawns a {@link ServerCommand} with the sampler preloaded; ready once its port accepts. */
async function startCommand(command: ServerCommand, what: string): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-server-"));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...serverExecArgv(), "--import", SAMPLER, command.script, ...command.args],
    {
      cwd: dir,
      env: { ...process.env, ...command.env, HOST: "127.0.0.1", PORT: String(port) },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    },
  );
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-2000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  try {
    await Promise.race([listening(port, child), exited(child, what, () => `:\n${tail}`)]);
  } catch (error) {
    dispose();
    throw error;
  }
  child.send({ type: "started" });
  return { child, port, dispose };
}

/**
 * Runs one scenario against one of its servers: server and load each in a fresh child process,
 * killed after `timeoutMs` whatever happens, so a run always ends.
 */
export async function runScenario(
  scenario: Scenario,
  variant: Variant,
  options: { quick: boolean; timeoutMs: number },
): Promise<Figure[]> {
  const spec = scenario.servers[variant];
  const what = `${variant} server of ${scenario.name}`;
  let server: RunningServer | null = null;
  let load: ChildProcess | null = null;
  const starting = typeof spec === "string" ? startModule(spec, what) : startCommand(spec, what);
  const timer = setTimeout(() => {
    starting.then(
      ({ child }) => child.kill("SIGKILL"),
      () => {},
    );
    load?.kill("SIGKILL");
  }, options.timeoutMs);
  try {
    server = await starting;
    const { child: serverChild, port } = server;
    const child = fork(LOAD, [scenario.load, String(port), options.quick ? "quick" : "full"], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    load = child;
    // the load asks for server samples through us: relay both ways
    serverChild.on("message", (message: ServerMessage) => {
      if (message.type === "sample") child.send(message);
    });
    return await new Promise<Figure[]>((resolve, reject) => {
      child.on("message", (message: LoadMessage) => {
        if (message.type === "sample") serverChild.send(message);
        else resolve(message.figures);
      });
      child.once("exit", (code) =>
        reject(new Error(`load of ${scenario.name} against ${variant} exited with ${code}`)),
      );
    });
  } finally {
    clearTimeout(timer);
    await stop(load, server);
  }
}

/** Kills the load; asks the server to stop, so a CPU profile gets written, and kills it if it lingers. */
async function stop(load: ChildProcess | null, server: RunningServer | null): Promise<void> {
  const serverChild = server?.child ?? null;
  if (serverChild?.connected) serverChild.send({ type: "stop" });
  const stopping = setTimeout(() => serverChild?.kill("SIGKILL"), 5000);
  for (const child of [load, serverChild]) {
    if (child !== null && child.exitCode === null && child.signalCode === null) {
      const gone = once(child, "exit");
      if (child === load) child.kill("SIGKILL");
      await gone;
    }
  }
  clearTimeout(stopping);
  server?.dispose();
}
