/**
 * Child processes for tests that start servers: each is recorded with what it printed, so a
 * failure can show what the servers said, and an `after` hook can stop whatever still runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));

export interface Process {
  child: ChildProcess;
  port: number;
  output: string[];
}

const started: Process[] = [];
export const serverOutput = () => started.map((p) => p.output.join("")).join("\n---\n");

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

/** Starts `command` in `cwd`, records it, and resolves once it accepts connections on `port`. */
export async function startListening(
  command: string,
  args: string[],
  port: number,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = root,
): Promise<Process> {
  const output: string[] = [];
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
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
