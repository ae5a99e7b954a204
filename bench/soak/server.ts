import { fork, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import type { ServerSample } from "../harness/scenario.js";

const SERVER_PROCESS = fileURLToPath(new URL("../harness/server-process.ts", import.meta.url));
const DEMO_SERVER = fileURLToPath(new URL("./demo-server.ts", import.meta.url));

type Message =
  { type: "ready"; port: number } | { type: "sample"; id: number; sample: ServerSample };

/** The demo in a child process of its own, sampled over IPC (RSS, heap, CPU) and through /proc. */
export class SoakServer {
  readonly child: ChildProcess;
  port = 0;
  #output = "";
  #nextId = 0;
  readonly #pending = new Map<number, (sample: ServerSample) => void>();

  private constructor(child: ChildProcess) {
    this.child = child;
    // The demo logs every connection; only the tail is kept, for a failure message.
    const keep = (chunk: Buffer) => (this.#output = (this.#output + chunk.toString()).slice(-4000));
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    child.on("message", (message: Message) => {
      if (message.type !== "sample") return;
      this.#pending.get(message.id)?.(message.sample);
      this.#pending.delete(message.id);
    });
  }

  /** Starts the demo with `env` added to this process's environment; resolves once it listens. */
  static async start(env: Record<string, string>): Promise<SoakServer> {
    const child = fork(SERVER_PROCESS, [DEMO_SERVER], {
      execArgv: ["--conditions=switchboard-source", "--import", "tsx", "--expose-gc"],
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const server = new SoakServer(child);
    server.port = await new Promise<number>((resolve, reject) => {
      child.on("message", (message: Message) => {
        if (message.type === "ready") resolve(message.port);
      });
      child.once("exit", (code) =>
        reject(new Error(`the demo exited (${code}):\n${server.output()}`)),
      );
    });
    return server;
  }

  /** The last lines the demo printed. */
  output(): string {
    return this.#output;
  }

  /** RSS, heap and CPU time now; `settle` collects garbage and waits for RSS to hold steady. */
  sample(settle: boolean): Promise<ServerSample> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.child.send({ type: "sample", id, settle });
    });
  }

  /** Asks the process to exit, and kills it if it has not within 5 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, "exit");
    this.child.send({ type: "stop" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  }
}
