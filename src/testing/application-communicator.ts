import { CommunicatorTimeout } from "../errors.js";
import type { Application, ReceiveEvent, Scope, SendEvent } from "../types/asgi.js";
import { AsyncQueue } from "./async-queue.js";
import { checkApplication, checkScope, checkTimeout } from "./communicator-arguments.js";

/** Default time, in milliseconds, a communicator waits for the application. */
export const DEFAULT_TIMEOUT_MS = 1000;

/** Rejects the application's pending `receive()` once a communicator has given up on it. */
class CommunicatorCancelled extends Error {}

function returnedError(): CommunicatorTimeout {
  return new CommunicatorTimeout(
    "Waited for an event from the application, but it returned without sending one.",
  );
}

type Outcome = { state: "running" } | { state: "returned" } | { state: "failed"; error: unknown };

/**
 * Runs an application in process against in-memory queues, the way `asgiref`'s
 * `ApplicationCommunicator` does: feed it client events with {@link ApplicationCommunicator.sendInput},
 * read what it sends with {@link ApplicationCommunicator.receiveOutput}. If the application throws,
 * the next read or wait rejects with that error instead of waiting for a timeout.
 *
 * @example
 * ```ts
 * const communicator = new ApplicationCommunicator(app, scope);
 * await communicator.sendInput({ type: "http.request", body: new Uint8Array(), moreBody: false });
 * const start = await communicator.receiveOutput(); // { type: "http.response.start", status: 200, ... }
 * await communicator.wait();
 * ```
 */
export class ApplicationCommunicator<S extends Scope = Scope> {
  readonly scope: S;
  readonly #input = new AsyncQueue<ReceiveEvent>();
  readonly #output = new AsyncQueue<SendEvent>();
  #outcome: Outcome = { state: "running" };
  readonly #finished: Promise<void>;

  constructor(application: Application<S>, scope: S) {
    checkApplication(application);
    checkScope(scope);
    this.scope = scope;
    const receive = () => this.#input.shift();
    const send = async (event: SendEvent) => this.#output.push(event);
    this.#finished = (async () => application(scope, receive, send))().then(
      () => {
        this.#outcome = { state: "returned" };
        this.#output.fail(returnedError());
      },
      (error: unknown) => {
        this.#outcome = { state: "failed", error };
        // Reads drain what was sent, then reject with the error at once rather than time out.
        this.#output.fail(error instanceof CommunicatorCancelled ? returnedError() : error);
      },
    );
  }

  /** Hands `event` to the application's `receive()`. Throws the application's error if it failed. */
  async sendInput(event: ReceiveEvent): Promise<void> {
    this.#throwIfFailed();
    this.#input.push(event);
  }

  /**
   * The next event the application sent, waiting up to `timeoutMs`. Rejects with the application's
   * error when it failed, and with {@link CommunicatorTimeout} when nothing came in time or the
   * application returned without sending anything more.
   */
  async receiveOutput(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<SendEvent> {
    checkTimeout(timeoutMs, "timeoutMs");
    if (this.#output.size > 0) return this.#output.shift();
    const read = this.#output.next();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new CommunicatorTimeout(
              `Waited ${timeoutMs} ms for the application to send an event, but it sent none; pass a longer timeout if it is slow.`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([read.promise, timeout]);
    } finally {
      clearTimeout(timer);
      read.cancel();
    }
  }

  /**
   * `true` when the application sends nothing within `timeoutMs` (nothing queued now and nothing
   * arriving meanwhile). Use it to assert silence; it always takes the full timeout when silent.
   */
  async receiveNothing(timeoutMs = 100): Promise<boolean> {
    checkTimeout(timeoutMs, "timeoutMs");
    this.#throwIfFailed();
    if (this.#output.size > 0) return false;
    await new Promise((resolve) => setTimeout(resolve, timeoutMs));
    this.#throwIfFailed();
    return this.#output.size === 0;
  }

  /**
   * Waits up to `timeoutMs` for the application to return, and rethrows its error if it failed.
   * On timeout the application's pending and future `receive()` calls reject, so it can unwind
   * and release what it holds, and this rejects with {@link CommunicatorTimeout}.
   */
  async wait(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    checkTimeout(timeoutMs, "timeoutMs");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const didTimeOut = await Promise.race([this.#finished.then(() => false), timedOut]);
    clearTimeout(timer);
    if (didTimeOut) {
      this.#input.fail(
        new CommunicatorCancelled("The communicator stopped waiting for this application."),
      );
      throw new CommunicatorTimeout(
        `Waited ${timeoutMs} ms for the application to return, but it is still running; it may be waiting for an event the test never sends.`,
      );
    }
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#outcome.state !== "failed") return;
    const { error } = this.#outcome;
    if (error instanceof CommunicatorCancelled) return;
    throw error;
  }
}
