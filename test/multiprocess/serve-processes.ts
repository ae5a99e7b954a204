/**
 * For the multi-process tests: `switchboard serve` of the group-chat app (started and recorded by
 * test/support/processes.ts) and a WebSocket client that queues what it receives; a lost
 * message's error shows what the servers said.
 */
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { freePort } from "../support/ports.js";
import { serverOutput, startListening, type Process } from "../support/processes.js";

const app = fileURLToPath(new URL("./apps/group-chat-app.ts", import.meta.url));

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
