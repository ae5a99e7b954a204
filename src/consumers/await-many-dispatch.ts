import { StopConsumer } from "../errors.js";

/**
 * Reads every source one event at a time and hands the events to `dispatch` one at a time, in the
 * order they arrived, awaiting each dispatch before the next: Channels' `await_many_dispatch`.
 * A source is read again only once its previous event was dispatched, so nothing is buffered
 * beyond one pending read per source. Runs until a source or a dispatch throws, and rejects with
 * that error once no dispatch is running; events that arrived meanwhile are never dispatched, and
 * reads still pending are left to the caller to abort.
 *
 * `dispatch` and `recover` are called on `target`, so a consumer passes its methods as they are
 * instead of binding them for every connection. `recover` gets what a dispatch threw or rejected
 * with, and the event it was dispatching: what it returns stands for that dispatch (a promise is
 * awaited), and what it throws or rejects with ends the loop. A `StopConsumer` is never recovered
 * from: it ends the loop as it is (every connection ends with one, so it is not thrown twice).
 */
export function awaitManyDispatch<E, T = undefined>(
  sources: ReadonlyArray<() => Promise<E>>,
  dispatch: (this: T, event: E) => unknown,
  target?: T,
  recover?: (this: T, error: unknown, event: E) => unknown,
): Promise<never> {
  return new Promise<never>((_, reject) => {
    const dispatcher = new Dispatcher(dispatch, target as T, recover ?? null, reject);
    for (const source of sources) new Reader(source, dispatcher).read();
  });
}

/**
 * One source: reads it, holds the event that arrived while another dispatch ran, reads again once
 * its event was dispatched. Its callbacks are bound once, so an event costs no closure: a group
 * send wakes thousands of consumers at once, and what each allocates per event lives until all of
 * them ran, which turns cheap young garbage into old-generation garbage.
 */
class Reader<E, T> {
  readonly #next: () => Promise<E>;
  readonly #dispatcher: Dispatcher<E, T>;
  readonly #arrived = this.#onEvent.bind(this);
  readonly #failed = this.#onError.bind(this);
  /** The event waiting for the dispatcher, if any. */
  event: E | undefined = undefined;

  constructor(next: () => Promise<E>, dispatcher: Dispatcher<E, T>) {
    this.#next = next;
    this.#dispatcher = dispatcher;
  }

  read(): void {
    if (this.#dispatcher.stopped) return;
    let next: Promise<E>;
    try {
      next = this.#next();
    } catch (error) {
      this.#dispatcher.stop(error);
      return;
    }
    // Promise.resolve: a source may hand back any thenable, as `await` would accept.
    Promise.resolve(next).then(this.#arrived, this.#failed);
  }

  #onEvent(event: E): void {
    this.event = event;
    this.#dispatcher.arrived(this);
  }

  #onError(error: unknown): void {
    this.#dispatcher.stop(error);
  }
}

/**
 * The lock: at most one dispatch runs; events arriving meanwhile wait in arrival order (at most
 * one per source, since a source is not read again before its event was dispatched).
 */
class Dispatcher<E, T> {
  readonly #dispatch: (this: T, event: E) => unknown;
  readonly #target: T;
  readonly #recover: ((this: T, error: unknown, event: E) => unknown) | null;
  readonly #reject: (error: unknown) => void;
  readonly #finished = this.#onFinished.bind(this);
  readonly #failed = this.#onFailed.bind(this);
  /** Created when a second source first has to wait, so a one-source loop (most) has none. */
  #waiting: Array<Reader<E, T>> | null = null;
  /** The reader whose event is being dispatched; it keeps the event until the dispatch is over. */
  #running: Reader<E, T> | null = null;
  /** The running dispatch failed and what runs now is its recovery, which gets no second one. */
  #recovering = false;
  stopped = false;
  #error: unknown = undefined;

  constructor(
    dispatch: (this: T, event: E) => unknown,
    target: T,
    recover: ((this: T, error: unknown, event: E) => unknown) | null,
    reject: (error: unknown) => void,
  ) {
    this.#dispatch = dispatch;
    this.#target = target;
    this.#recover = recover;
    this.#reject = reject;
  }

  arrived(reader: Reader<E, T>): void {
    if (this.stopped) return;
    if (this.#running === null) this.#run(reader);
    else (this.#waiting ??= []).push(reader);
  }

  /**
   * Ends the loop with `error`, the first one only. A source can fail while a handler runs: the
   * promise settles once that handler is done, so cleanup never runs beside it. Events waiting
   * behind it are skipped.
   */
  stop(error: unknown): void {
    if (this.stopped) return;
    this.stopped = true;
    this.#error = error;
    this.#waiting = null;
    if (this.#running === null) this.#reject(error);
  }

  /** Dispatches `first`'s event and, while dispatches finish synchronously, the waiting ones. */
  #run(first: Reader<E, T>): void {
    for (let reader: Reader<E, T> | undefined = first; reader !== undefined;) {
      this.#running = reader;
      let result: unknown;
      try {
        result = this.#dispatch.call(this.#target, reader.event as E);
      } catch (error) {
        this.#onFailed(error);
        return;
      }
      if (isThenable(result)) {
        Promise.resolve(result).then(this.#finished, this.#failed);
        return;
      }
      reader = this.#done();
    }
  }

  /** The running dispatch is over: its source is read again; returns the next waiting reader. */
  #done(): Reader<E, T> | undefined {
    const reader = this.#running as Reader<E, T>;
    reader.event = undefined;
    this.#running = null;
    this.#recovering = false;
    if (this.stopped) {
      this.#reject(this.#error);
      return undefined;
    }
    reader.read();
    return this.#waiting?.shift();
  }

  #onFinished(): void {
    const next = this.#done();
    if (next !== undefined) this.#run(next);
  }

  /** The running dispatch failed: recovered once if the target can, else the loop stops. */
  #onFailed(error: unknown): void {
    const recover = this.#recover;
    if (recover === null || this.#recovering || error instanceof StopConsumer) {
      this.#stopRunning(error);
      return;
    }
    this.#recovering = true;
    let result: unknown;
    try {
      result = recover.call(this.#target, error, (this.#running as Reader<E, T>).event as E);
    } catch (failure) {
      this.#stopRunning(failure);
      return;
    }
    if (isThenable(result)) Promise.resolve(result).then(this.#finished, this.#failed);
    else this.#onFinished();
  }

  /** Ends the loop with `error` from the running dispatch, which is over. */
  #stopRunning(error: unknown): void {
    this.stop(error);
    this.#done();
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
