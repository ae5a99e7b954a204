/** A real WebSocket client for the seed tests: handshake outcome, then frames one at a time. */
import WebSocket from "ws";

/**
 * An open client socket that queues frames from the moment it opens: a server that accepts and
 * sends at once can put both in one TCP read, and `ws` emits that frame before any awaiting code
 * could attach a listener.
 */
export class TestSocket {
  readonly #socket: WebSocket;
  readonly #frames: string[] = [];
  readonly #waiting: Array<{ resolve: (text: string) => void; reject: (error: Error) => void }> =
    [];
  #closedWith: number | null = null;

  constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.on("message", (data) => {
      const waiter = this.#waiting.shift();
      if (waiter) waiter.resolve(data.toString());
      else this.#frames.push(data.toString());
    });
    socket.once("close", (code) => {
      this.#closedWith = code;
      for (const waiter of this.#waiting.splice(0)) {
        waiter.reject(new Error(`closed with ${code} before a message`));
      }
    });
  }

  send(text: string): void {
    this.#socket.send(text);
  }

  /** The next text frame. */
  next(): Promise<string> {
    const frame = this.#frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    if (this.#closedWith !== null) {
      return Promise.reject(new Error(`closed with ${this.#closedWith} before a message`));
    }
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** Closes and waits for the close handshake, so no socket outlives its test. */
  async close(): Promise<void> {
    if (this.#closedWith !== null) return;
    const closed = new Promise((resolve) => this.#socket.once("close", resolve));
    this.#socket.close();
    await closed;
  }
}

export type Handshake =
  | { socket: TestSocket; status: 101; protocol: string }
  | { socket: null; status: number; protocol: null };

/** Opens `url`, sending `cookie` if given; resolves the refusal status instead of throwing. */
export function openSocket(
  url: string,
  cookie?: string,
  protocols: string[] = [],
): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, {
      headers: cookie === undefined ? {} : { cookie },
    });
    const client = new TestSocket(socket);
    socket.once("open", () => resolve({ socket: client, status: 101, protocol: socket.protocol }));
    socket.once("unexpected-response", (request, response) => {
      response.resume();
      request.destroy();
      resolve({ socket: null, status: response.statusCode ?? 0, protocol: null });
    });
    socket.once("error", reject);
  });
}
