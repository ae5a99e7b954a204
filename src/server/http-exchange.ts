import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ProtocolError } from "../errors.js";
import type {
  Application,
  HttpDisconnectEvent,
  HttpReceiveEvent,
  HttpResponseStartEvent,
  HttpScope,
  SendEvent,
} from "../types/asgi.js";
import type { Activity } from "./activity.js";
import { EventQueue } from "./event-queue.js";
import { isServerFault, statusFor } from "./failure.js";
import { escapeLogText } from "../security/escape-log-text.js";
import type { Logger } from "./logger.js";
import type { ScopeBuilder } from "./scope-builder.js";

const DISCONNECT: HttpDisconnectEvent = Object.freeze({ type: "http.disconnect" });
const EMPTY = new Uint8Array(0);
const END_OF_BODY: HttpReceiveEvent = Object.freeze({
  type: "http.request",
  body: EMPTY,
  moreBody: false,
});

const enum State {
  /** Nothing sent yet. */
  Idle,
  /** `http.response.start` received; headers held until the first body chunk. */
  Started,
  /** Headers written, body streaming. */
  Streaming,
  /** The last body chunk was written. */
  Done,
}

/** What an HTTP exchange needs from the server. */
export interface HttpExchangeContext {
  logger: Logger;
  activity: Activity;
  scopes: ScopeBuilder;
  /** Largest request body served, in bytes; see `ServeOptions.maxBodySize`. */
  maxBodySize: number;
  /** True once shutdown began: responses then ask the client to close the connection. */
  isClosing(): boolean;
}

/**
 * Serves one HTTP request with `app`: the body is streamed to `receive()` one chunk at a time (the
 * request is paused until the application reads), the response is streamed from `send()`. Never
 * rejects: failures are answered (500 before the response started) or end the socket (after).
 */
export async function serveHttp(
  app: Application,
  req: IncomingMessage,
  res: ServerResponse,
  context: HttpExchangeContext,
): Promise<void> {
  context.activity.start();
  try {
    await new HttpExchange(req, res, context).run(app);
  } finally {
    context.activity.end();
  }
}

/**
 * One request and its response: the request body feeds the queue `receive()` reads, `send()`
 * events become the response, and whatever the application left unfinished is answered at the end.
 */
class HttpExchange {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #context: HttpExchangeContext;
  readonly #scope: HttpScope;
  readonly #started = performance.now();
  readonly #queue: EventQueue<HttpReceiveEvent>;
  #state = State.Idle;
  #pending: HttpResponseStartEvent | null = null;
  /** The client left, or its body grew past the cap: sends go nowhere. */
  #gone = false;
  #bodySize = 0;
  #bodyTooLarge = false;

  constructor(req: IncomingMessage, res: ServerResponse, context: HttpExchangeContext) {
    this.#req = req;
    this.#res = res;
    this.#context = context;
    this.#scope = context.scopes.http(req);
    this.#queue = new EventQueue<HttpReceiveEvent>(1, req);
  }

  async run(app: Application): Promise<void> {
    // Node has already checked that content-length is a number
    if (Number(this.#req.headers["content-length"]) > this.#context.maxBodySize) {
      this.#req.on("error", ignore);
      answerTooLarge(this.#res);
      this.#log();
      return;
    }
    this.#listen();
    let failure: unknown = null;
    let failed = false;
    try {
      await app(this.#scope, this.#receive, this.#send);
    } catch (error) {
      failure = error;
      failed = true;
    }
    if (!this.#gone && this.#state !== State.Done) this.#answerUnfinished(failed, failure);
    else if (failed && isServerFault(failure)) {
      this.#context.logger.error(
        `Application failed after responding to ${this.#scope.method} ${escapeLogText(this.#scope.path)}`,
        failure,
      );
    }
    this.#log();
  }

  // The request phase: the body, and the client's leaving.

  #listen(): void {
    const req = this.#req;
    const res = this.#res;
    req.on("data", this.#onData);
    req.once("end", () => this.#queue.push(END_OF_BODY));
    // A client that vanishes mid-body makes the request emit "aborted"/ECONNRESET; "close" below
    // reports it, so the error itself needs no handling.
    req.on("error", ignore);
    res.once("close", () => {
      if (this.#state !== State.Done || !res.writableFinished) this.#gone = true;
      this.#queue.finish(DISCONNECT);
    });
    res.once("finish", () => {
      // The application may never read the body; drain it so a keep-alive connection stays
      // usable (not a body over the cap: that connection closes instead).
      req.removeListener("data", this.#onData);
      if (!this.#bodyTooLarge) req.resume();
    });
  }

  readonly #onData = (chunk: Buffer): void => {
    this.#bodySize += chunk.byteLength;
    if (this.#bodySize <= this.#context.maxBodySize) {
      this.#queue.push({ type: "http.request", body: chunk, moreBody: true });
      return;
    }
    // A body without content-length (chunked) grew past the cap: the application hears a
    // disconnect, its later sends go nowhere, and the client gets 413 unless a response is
    // already on the wire.
    this.#bodyTooLarge = this.#gone = true;
    this.#req.removeListener("data", this.#onData);
    this.#req.pause();
    this.#queue.finish(DISCONNECT);
    if (this.#res.headersSent) this.#res.destroy();
    else answerTooLarge(this.#res);
  };

  readonly #receive = (): Promise<HttpReceiveEvent> => this.#queue.next();

  // The response phase.

  readonly #send = async (event: SendEvent): Promise<void> => {
    if (event.type === "http.response.start") {
      this.#start(event);
      return;
    }
    if (event.type !== "http.response.body") {
      throw new ProtocolError(
        `An HTTP application sent "${(event as { type: string }).type}"; it may send only http.response.start and http.response.body.`,
      );
    }
    if (this.#state === State.Idle) {
      throw new ProtocolError("http.response.body was sent before http.response.start.");
    }
    if (this.#state === State.Done) {
      throw new ProtocolError(
        "http.response.body was sent after the last chunk (moreBody: false).",
      );
    }
    if (this.#gone) return;
    const body = event.body ?? EMPTY;
    const moreBody = event.moreBody === true;
    if (this.#state === State.Started) this.#writeHead(body, moreBody);
    if (!moreBody) {
      this.#state = State.Done;
      this.#res.end(body);
      this.#queue.finish(DISCONNECT);
      return;
    }
    if (body.byteLength > 0 && !this.#res.write(body)) await drainOrClose(this.#res);
  };

  #start(event: HttpResponseStartEvent): void {
    if (this.#state !== State.Idle) {
      throw new ProtocolError(
        "http.response.start was sent twice; send it once, then body events.",
      );
    }
    const status = event.status;
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new ProtocolError(`http.response.start has status ${status}; use an integer 100-599.`);
    }
    this.#pending = event;
    this.#state = State.Started;
  }

  /** Writes the held `http.response.start`, with a content-length when the body is all here. */
  #writeHead(body: Uint8Array, moreBody: boolean): void {
    const start = this.#pending as HttpResponseStartEvent;
    const flat: string[] = [];
    let hasLength = false;
    for (const [name, value] of start.headers ?? []) {
      flat.push(name, value);
      const lower = name.toLowerCase();
      if (lower === "content-length" || lower === "transfer-encoding") hasLength = true;
    }
    if (!moreBody && !hasLength) flat.push("content-length", String(body.byteLength));
    if (this.#context.isClosing()) this.#res.shouldKeepAlive = false;
    this.#res.writeHead(start.status, flat);
    this.#state = State.Streaming;
  }

  /** The application returned or failed without completing its response. */
  #answerUnfinished(failed: boolean, failure: unknown): void {
    const { method } = this.#scope;
    const path = escapeLogText(this.#scope.path);
    const status = failed ? statusFor(failure) : 500;
    if (failed && isServerFault(failure)) {
      this.#context.logger.error(`Application failed on ${method} ${path}`, failure);
    } else if (!failed) {
      this.#context.logger.error(
        `Application returned without completing a response to ${method} ${path}; send http.response.start and a last http.response.body (moreBody: false).`,
      );
    }
    if (this.#res.headersSent) {
      // the status line is on the wire: a truncated body must not look complete
      this.#res.destroy();
      return;
    }
    this.#pending = {
      type: "http.response.start",
      status,
      headers: [["content-type", "text/plain"]],
    };
    this.#writeHead(EMPTY, false);
    this.#res.end();
    this.#state = State.Done;
  }

  #log(): void {
    this.#context.logger.access({
      type: "http",
      method: this.#scope.method,
      path: this.#scope.path,
      status: this.#res.headersSent ? this.#res.statusCode : null,
      durationMs: performance.now() - this.#started,
    });
  }
}

const TOO_LARGE = Buffer.from("Request body too large");

/**
 * 413 for a body over `maxBodySize`, closing the connection: the rest of the body is never read,
 * so the connection cannot carry another request.
 */
function answerTooLarge(res: ServerResponse): void {
  res.shouldKeepAlive = false;
  res.writeHead(413, [
    "content-type",
    "text/plain; charset=utf-8",
    "content-length",
    String(TOO_LARGE.byteLength),
  ]);
  res.end(TOO_LARGE);
}

function ignore(): void {}

async function drainOrClose(res: ServerResponse): Promise<void> {
  const controller = new AbortController();
  await Promise.race([
    once(res, "drain", { signal: controller.signal }),
    once(res, "close", { signal: controller.signal }),
  ]).catch(ignore);
  controller.abort();
}
