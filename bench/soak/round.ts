import type { ChatClient } from "../../examples/chat/testing/chat-client.js";
import { closeSocket } from "../../examples/chat/testing/chat-client.js";

/** What one round of connect / send / echo / close came to. */
export interface RoundResult {
  durationMs: number;
  /** Sockets that were refused, got no echo or a wrong one, or did not close in time. */
  failures: number;
  firstFailure: string | null;
}

export interface RoundOptions {
  client: ChatClient;
  /** The WebSocket path, or a function of the in-flight slot (a chat room per slot). */
  path: (slot: number) => string;
  count: number;
  concurrency: number;
  /** Per socket: a socket that takes longer is a failure. */
  timeoutMs: number;
}

/** One authenticated socket: open with the client's cookie, send, read the echo, close. */
async function oneSocket(client: ChatClient, path: string, text: string, timeoutMs: number) {
  const { status, socket, inbox } = await client.websocket(path);
  if (socket === null) throw new Error(`handshake answered ${status}`);
  try {
    socket.send(text);
    // In a shared room the other members' messages arrive too; wait for our own.
    while ((await inbox.next(timeoutMs)) !== text);
  } finally {
    await closeSocket(socket);
  }
}

/** Opens `count` sockets, at most `concurrency` at a time, each one after the other in its slot. */
export async function runRound(options: RoundOptions): Promise<RoundResult> {
  const { client, count, concurrency, timeoutMs } = options;
  let next = 0;
  let failures = 0;
  let firstFailure: string | null = null;
  const slot = async (index: number) => {
    for (let n = next++; n < count; n = next++) {
      const timer = AbortSignal.timeout(timeoutMs);
      try {
        await Promise.race([
          oneSocket(client, options.path(index), `soak ${n}`, timeoutMs),
          new Promise((_, reject) =>
            timer.addEventListener("abort", () => reject(new Error(`over ${timeoutMs}ms`))),
          ),
        ]);
      } catch (error) {
        failures++;
        firstFailure ??= (error as Error).message;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, index) => slot(index)));
  return { durationMs: performance.now() - started, failures, firstFailure };
}
