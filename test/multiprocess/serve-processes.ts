/**
 * Child processes for the multi-process tests: `switchboard serve` of the group-chat app, a wait
 * for a port, and a WebSocket client that queues what it receives. Every process started here is
 * recorded, so a lost message's error shows what the servers said.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { freePort } from "../support/ports.js";

export const root = fileURLToPath(new URL("../../", import.meta.url));
const app = fileURLToPath(new URL("./apps/group-chat-app.ts", import.meta.url));

export interface Process {
  child: ChildProcess;
  port: number;
  output: string[];
}

const started: Process[] = [];
const serverOutput = () => started.map((p) => p.output.join("")).join("\n---\n");

async function accepting(port: number): Promise<boolean> {
  const socket = connect(port, "127.0.0.1");
  try {
    await once(socket, "connect");
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

/** Starts `command`, records it, and resolves once it accepts connections on `port`. */
export async function startListening(
  command: string,
  args: string[],
  port: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Process> {
  const output: string[] = [];
  const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const server = { child, port, output };
  started.push(server);
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  // Start-up compiles TypeScript on a shared machine: wait for the port, bounded, not timed.
  for (let attempt = 0; !(await accepting(port)); attempt++) {
    if (child.exitCode !== null || attempt > 300) {
      child.kill("SIGKILL");
      throw new Error(`${command} did not start:\n${output.join("")}`);
    }
    await sleep(100);
  }
  return server;
}

/** `switchboard serve` of the group-chat app, with its layer on `redisUrl` under `prefix`. */
export async function startServe(
  redisUrl: string,
  prefix: string,
  connectionName: string,
): Promise<Process> {
  const port = await freePort();
  return startListening(
    process.execPath,
    ["bin/switchboard.js", "serve", app, "--host", "127.0.0.1", "--port", String(port)],
    port,
    {
      ...process.env,
      REDIS_URL: redisUrl,
      SB_LAYER_PREFIX: prefix,
      SB_CONNECTION_NAME: connectionName,
    },
  );
}

export function running(server: Process): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

export async function stop(server: Process): Promise<void> {
  if (!running(server)) return;
  server.child.kill("SIGKILL");
  await once(server.child, "exit");
}

/** Kills every process started here that still runs: for `after` hooks, whatever failed. */
export async function stopAll(): Promise<void> {
  await Promise.all(started.map(stop));
}

/** A WebSocket client that queues what it receives. */
export class Client {
  readonly #messages: unknown[] = [];
  readonly #waiters: Array<(message: unknown) => void> = [];
  readonly socket: WebSocket;

  constructor(port: number) {
    this.socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    this.socket.on("message", (data) => {
      const message: unknown = JSON.parse(String(data));
      const waiter = this.#waiters.shift();
      if (waiter) waiter(message);
      else this.#messages.push(message);
    });
  }

  async open(): Promise<this> {
    await once(this.socket, "open");
    return this;
  }

  /** The next message; gives up after `ms` so a lost message fails the test instead of hanging it. */
  next(ms = 15_000): Promise<unknown> {
    const queued = this.#messages.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(settle), 1);
        reject(new Error(`no message within ${ms} ms; servers said:\n${serverOutput()}`));
      }, ms);
      const settle = (message: unknown) => {
        clearTimeout(timer);
        resolve(message);
      };
      this.#waiters.push(settle);
    });
  }

  /** Skips messages until one with this `text` arrives (earlier sends may still be in flight). */
  async nextWithText(text: string): Promise<Record<string, unknown>> {
    let message: Record<string, unknown>;
    do message = (await this.next()) as Record<string, unknown>;
    while (message.text !== text);
    return message;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await once(this.socket, "close");
  }
}
