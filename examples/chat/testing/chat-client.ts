import { once } from "node:events";
import { WebSocket } from "ws";

/**
 * What a WebSocket handshake came to: an open socket with the inbox of its frames, or the HTTP
 * status it was refused with.
 */
export type Handshake =
  { status: 101; socket: WebSocket; inbox: Inbox } | { status: number; socket: null; inbox: null };

/** Options of {@link ChatClient.websocket}. */
export interface SocketOptions {
  subprotocol?: string;
  /** Sent as `Origin`, as a browser would; omitted by default, as by a CLI client. */
  origin?: string;
}

/**
 * A client of the chat demo over real sockets, with a cookie jar: what a script or a load
 * generator does, so the tests exercise the wire contract rather than the application's insides.
 */
export class ChatClient {
  readonly base: string;
  readonly cookies = new Map<string, string>();

  constructor(base: string) {
    this.base = base;
  }

  #cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** A request with this client's cookies; remembers the cookies the response sets or deletes. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set("cookie", this.#cookieHeader());
    const response = await fetch(new URL(path, this.base), {
      ...init,
      headers,
      redirect: "manual",
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const [name = "", value = ""] = pair.trim().split(/=(.*)/s);
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Posts a form; `csrf` adds the token a page would embed (fetched with a GET first). */
  async post(
    path: string,
    fields: Record<string, string>,
    { csrf = true, headers = {} }: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const form = new URLSearchParams(fields);
    if (csrf) {
      if (!this.cookies.has("csrftoken")) await (await this.request("/login/")).arrayBuffer();
      form.set("csrfmiddlewaretoken", this.cookies.get("csrftoken") ?? "");
    }
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      body: form.toString(),
    });
  }

  /** Signs up through the form (which logs in); throws unless the server redirects. */
  async signup(username: string, password: string): Promise<void> {
    const response = await this.post("/signup/", { username, password, password2: password });
    if (response.status !== 303) {
      throw new Error(
        `signup of ${username} answered ${response.status}: ${await response.text()}`,
      );
    }
  }

  /** Opens a WebSocket with this client's cookies and resolves once the handshake is decided. */
  async websocket(path: string, options: SocketOptions = {}): Promise<Handshake> {
    const url = new URL(path, this.base.replace(/^http/, "ws"));
    const socket = new WebSocket(url, options.subprotocol ?? [], {
      headers: this.cookies.size > 0 ? { cookie: this.#cookieHeader() } : {},
      ...(options.origin !== undefined && { origin: options.origin }),
    });
    const refused = new Promise<number>((resolve) => {
      socket.once("unexpected-response", (_request, response) => {
        resolve(response.statusCode ?? 0);
        response.resume();
        socket.terminate();
      });
    });
    socket.on("error", () => {});
    // Listening from the start: frames can arrive in the same packet as the handshake response.
    const inbox = new Inbox(socket);
    const outcome = await Promise.race([once(socket, "open").then(() => 101), refused]);
    return outcome === 101
      ? { status: 101, socket, inbox }
      : { status: outcome, socket: null, inbox: null };
  }
}

/**
 * The text frames a socket receives, kept from the moment it is created so none is missed
 * between two awaits.
 */
export class Inbox {
  readonly #frames: string[] = [];
  readonly #waiting: Array<(frame: string) => void> = [];

  constructor(socket: WebSocket) {
    socket.on("message", (data: Buffer) => {
      const frame = data.toString();
      const waiter = this.#waiting.shift();
      if (waiter) waiter(frame);
      else this.#frames.push(frame);
    });
  }

  /** The next frame, waiting at most `timeoutMs`. */
  next(timeoutMs = 5000): Promise<string> {
    const frame = this.#frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    return new Promise((resolve, reject) => {
      const waiter = (value: string) => {
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.#waiting.splice(this.#waiting.indexOf(waiter), 1);
        reject(new Error(`no frame within ${timeoutMs}ms`));
      }, timeoutMs);
      this.#waiting.push(waiter);
    });
  }

  /** The next JSON frame whose `type` is `type`, skipping others. */
  async nextOfType(type: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    for (;;) {
      const frame = JSON.parse(await this.next(timeoutMs)) as Record<string, unknown>;
      if (frame.type === type) return frame;
    }
  }

  /**
   * Waits for a `presence` frame listing exactly `users`: members' answers arrive one by one, so
   * a newcomer may first see a partial list.
   */
  async presence(users: readonly string[], timeoutMs = 5000): Promise<void> {
    const wanted = JSON.stringify(users);
    while (JSON.stringify((await this.nextOfType("presence", timeoutMs)).users) !== wanted);
  }
}

/** Closes `socket` and waits until it is closed. */
export async function closeSocket(socket: WebSocket): Promise<void> {
  if (socket.readyState === WebSocket.CLOSED) return;
  const closed = once(socket, "close");
  socket.close();
  await closed;
}
