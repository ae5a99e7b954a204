// Two `switchboard serve` processes sharing one Redis through RedisChannelLayer. A Redis restart is
// simulated by killing one process's Redis connections (CLIENT KILL by connection name): a real
// restart would break every other test running against this Redis.
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer, connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, test, after, before } from "node:test";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { RedisChannelLayer } from "../../src/redis.js";
import { REDIS_URL, serviceSkip, uniquePrefix } from "../support/services.js";
import { killRedisClients } from "./kill-redis-clients.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const app = fileURLToPath(new URL("./apps/group-chat-app.ts", import.meta.url));
const skip = await serviceSkip("redis");

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

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

interface Process {
  child: ChildProcess;
  port: number;
  output: string[];
}

async function startServe(prefix: string, connectionName: string): Promise<Process> {
  const port = await freePort();
  const output: string[] = [];
  const child = spawn(
    process.execPath,
    ["bin/switchboard.js", "serve", app, "--host", "127.0.0.1", "--port", String(port)],
    {
      cwd: root,
      env: {
        ...process.env,
        REDIS_URL,
        SB_LAYER_PREFIX: prefix,
        SB_CONNECTION_NAME: connectionName,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  // Start-up compiles TypeScript on a shared machine: wait for the port, bounded, not timed.
  for (let attempt = 0; !(await accepting(port)); attempt++) {
    if (child.exitCode !== null || attempt > 300) {
      child.kill("SIGKILL");
      throw new Error(`switchboard serve did not start:\n${output.join("")}`);
    }
    await sleep(100);
  }
  const server = { child, port, output };
  started.push(server);
  return server;
}

async function stop(process: Process): Promise<void> {
  if (process.child.exitCode !== null || process.child.signalCode !== null) return;
  process.child.kill("SIGKILL");
  await once(process.child, "exit");
}

const started: Process[] = [];
const serverOutput = () => started.map((p) => p.output.join("")).join("\n---\n");

/** A WebSocket client that queues what it receives. */
class Client {
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

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await once(this.socket, "close");
  }
}

describe(
  "RedisChannelLayer across two switchboard serve processes",
  { skip, timeout: 60_000 },
  () => {
    const prefix = uniquePrefix("multiprocess");
    const name = prefix.replace(/:/g, "-");
    let a: Process;
    let b: Process;
    const clients: Client[] = [];
    const client = async (process: Process) => {
      const opened = await new Client(process.port).open();
      clients.push(opened);
      return opened;
    };

    before(async () => {
      [a, b] = await Promise.all([startServe(prefix, `${name}a`), startServe(prefix, `${name}b`)]);
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
      await Promise.all([a, b].filter(Boolean).map(stop));
      const layer = new RedisChannelLayer({ redis: REDIS_URL, prefix });
      await layer.flush();
      await layer.close();
    });

    test("a client on A gets the group message a client on B sent", async () => {
      const [onA, onB] = [await client(a), await client(b)];
      onB.socket.send("hello from b");
      assert.deepEqual(await onA.next(), {
        type: "chat.message",
        text: "hello from b",
        pid: b.child.pid,
      });
      assert.equal(((await onB.next()) as { text: string }).text, "hello from b");
    });

    test("A keeps delivering after its Redis connections are killed, as in a Redis restart", async () => {
      const [onA, onB] = [await client(a), await client(b)];
      assert.equal(await killRedisClients(REDIS_URL, `${name}a`), 2);
      onB.socket.send("after the restart");
      let message: unknown;
      do message = await onA.next();
      while ((message as { text: string }).text !== "after the restart");
      onA.socket.send("a is back");
      do message = await onB.next();
      while ((message as { text: string }).text !== "a is back");
    });

    test("killing B does not disturb A", async () => {
      const [first, second] = [await client(a), await client(a)];
      await stop(b);
      second.socket.send("b is gone");
      let message: unknown;
      do message = await first.next();
      while ((message as { text: string }).text !== "b is gone");
      assert.equal((message as { pid: number }).pid, a.child.pid);
      assert.equal(a.child.exitCode, null);
    });
  },
);
