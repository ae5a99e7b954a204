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
    await exchange(app, req, res, context);
  } finally {
    context.activity.end();
  }
}

async function exchange(
  app: Application,
  req: IncomingMessage,
  res: ServerResponse,
  context: HttpExchangeContext,
): Promise<void> {
  const started = performance.now();
  const scope = context.scopes.http(req);
  // Node has already checked that content-length is a number
  if (Number(req.headers["content-length"]) > context.maxBodySize) {
    req.on("error", ignore);
    answerTooLarge(res);
    logAccess(context, scope, res, started);
    return;
  }
  let state = State.Idle as State;
  let pending: HttpResponseStartEvent | null = null;
  let gone = false;
  let bodySize = 0;
  let bodyTooLarge = false;

  const queue = new EventQueue<HttpReceiveEvent>(1, req);
  const onData = (chunk: Buffer) => {
    bodySize += chunk.byteLength;
    if (bodySize <= context.maxBodySize) {
      queue.push({ type: "http.request", body: chunk, moreBody: true });
      return;
    }
    // A body without content-length (chunked) grew past the cap: the application hears a
    // disconnect, its later sends go nowhere, and the client gets 413 unless a response is
    // already on the wire.
    bodyTooLarge = gone = true;
    req.removeListener("data", onData);
    req.pause();
    queue.finish(DISCONNECT);
    if (res.headersSent) res.destroy();
    else answerTooLarge(res);
  };
  req.on("data", onData);
  req.once("end", () => queue.push(END_OF_BODY));
  // A client that vanishes mid-body makes the request emit "aborted"/ECONNRESET; "close" below
  // reports it, so the error itself needs no handling.
  req.on("error", ignore);
  res.once("close", () => {
    if (state !== State.Done || !res.writableFinished) gone = true;
    queue.finish(DISCONNECT);
  });
  res.once("finish", () => {
    // The application may never read the body; drain it so a keep-alive connection stays usable
    // (not a body over the cap: that connection closes instead).
    req.removeListener("data", onData);
    if (!bodyTooLarge) req.resume();
  });

  const receive = () => queue.next();

  const writeHead = (body: Uint8Array, moreBody: boolean) => {
    const start = pending as HttpResponseStartEvent;
    const flat: string[] = [];
    let hasLength = false;
    for (const [name, value] of start.headers ?? []) {
      flat.push(name, value);
      const lower = name.toLowerCase();
      if (lower === "content-length" || lower === "transfer-encoding") hasLength = true;
    }
    if (!moreBody && !hasLength) flat.push("content-length", String(body.byteLength));
    if (context.isClosing()) res.shouldKeepAlive = false;
    res.writeHead(start.status, flat);
    state = State.Streaming;
  };

  const send = async (event: SendEvent) => {
    if (event.type === "http.response.start") {
      if (state !== State.Idle) {
        throw new ProtocolError(
          "http.response.start was sent twice; send it once, then body events.",
        );
      }
      const status = event.status;
      if (!Number.isInteger(status) || status < 100 || status > 599) {
        throw new ProtocolError(
          `http.response.start has status ${status}; use an integer 100-599.`,
        );
      }
      pending = event;
      state = State.Started;
      return;
    }
    if (event.type !== "http.response.body") {
      throw new ProtocolError(
        `An HTTP application sent "${(event as { type: string }).type}"; it may send only http.response.start and http.response.body.`,
      );
    }
    if (state === State.Idle) {
      throw new ProtocolError("http.response.body was sent before http.response.start.");
    }
    if (state === State.Done) {
      throw new ProtocolError(
        "http.response.body was sent after the last chunk (moreBody: false).",
      );
    }
    if (gone) return;
    const body = event.body ?? EMPTY;
    const moreBody = event.moreBody === true;
    if (state === State.Started) writeHead(body, moreBody);
    if (!moreBody) {
      state = State.Done;
      res.end(body);
      queue.finish(DISCONNECT);
      return;
    }
    if (body.byteLength > 0 && !res.write(body)) await drainOrClose(res);
  };

  let failure: unknown = null;
  let failed = false;
  try {
    await app(scope, receive, send);
  } catch (error) {
    failure = error;
    failed = true;
  }

  if (!gone && state !== State.Done) {
    const status = failed ? statusFor(failure) : 500;
    if (failed && isServerFault(status)) {
      context.logger.error(`Application failed on ${scope.method} ${scope.path}`, failure);
    } else if (!failed) {
      context.logger.error(
        `Application returned without completing a response to ${scope.method} ${scope.path}; send http.response.start and a last http.response.body (moreBody: false).`,
      );
    }
    if (res.headersSent) {
      // the status line is on the wire: a truncated body must not look complete
      res.destroy();
    } else {
      pending = { type: "http.response.start", status, headers: [["content-type", "text/plain"]] };
      writeHead(EMPTY, false);
      res.end();
      state = State.Done;
    }
  } else if (failed && isServerFault(statusFor(failure))) {
    context.logger.error(
      `Application failed after responding to ${scope.method} ${scope.path}`,
      failure,
    );
  }

  logAccess(context, scope, res, started);
}

function logAccess(
  context: HttpExchangeContext,
  scope: HttpScope,
  res: ServerResponse,
  started: number,
): void {
  context.logger.access({
    type: "http",
    method: scope.method,
    path: scope.path,
    status: res.headersSent ? res.statusCode : null,
    durationMs: performance.now() - started,
  });
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
