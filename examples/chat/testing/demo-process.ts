import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../../test/support/ports.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BIN = join(ROOT, "bin/switchboard.js");
const APP = join(ROOT, "examples/chat/app.ts");
const STARTUP_TIMEOUT_MS = 20_000;

/** A chat demo running as its own process, as `npm start` runs it. */
export interface DemoProcess {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The working directory: the default database and secret key file are made here. */
  readonly dir: string;
  /** Everything the process printed so far (every run), for assertions and failure messages. */
  output(): string;
  /** Stops the process and starts it again on the same port, directory and environment. */
  restart(): Promise<void>;
  /** Stops the process (SIGTERM, then SIGKILL) and removes its directory. */
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Spawns the serve command and resolves once it printed `url`; kills it if it does not. */
async function launch(
  dir: string,
  env: NodeJS.ProcessEnv,
  url: string,
  log: (text: string) => void,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, "serve", APP], { cwd: dir, env });
  let output = "";
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the demo printed no ${url} in ${STARTUP_TIMEOUT_MS}ms:\n${output}`)),
      STARTUP_TIMEOUT_MS,
    );
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      log(chunk.toString());
      if (output.includes(url)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${signal ?? code}) before serving:\n${output}`));
    });
  });
  try {
    await ready;
    return child;
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/**
 * Runs `node bin/switchboard.js <args>` in `cwd` with `input` on stdin, as an operator would,
 * with the demo's environment defaults (no `SWITCHBOARD_DB`: the working directory's database).
 */
export async function runCli(
  args: readonly string[],
  { cwd, input }: { cwd: string; input: string },
): Promise<{ code: number | null; output: string }> {
  const env = { ...process.env };
  delete env.SWITCHBOARD_DB;
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(input);
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, output };
}

/**
 * Starts `node bin/switchboard.js serve examples/chat/app.ts` on a free port, in a fresh
 * temporary directory, and resolves once it prints its URL. `env` is added to (or, with
 * `undefined` values, removed from) the test's own environment.
 */
export async function startDemo(
  options: { env?: Record<string, string | undefined> } = {},
): Promise<DemoProcess> {
  const dir = mkdtempSync(join(tmpdir(), "sb-chat-demo-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: "127.0.0.1", PORT: String(port) };
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const log = (text: string) => {
    output += text;
  };
  let child: ChildProcess;
  try {
    child = await launch(dir, env, url, log);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    dir,
    output: () => output,
    async restart() {
      await stopChild(child);
      child = await launch(dir, env, url, log);
    },
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
