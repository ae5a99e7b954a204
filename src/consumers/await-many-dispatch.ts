import { StopConsumer } from "../errors.js";

/**
 * Channels' `await_many_dispatch`: one pending read per source, and their events dispatched one at
 * a time in arrival order; a source is read again once its event was dispatched. `recover` gets
 * the event and what its dispatch threw or rejected with (never a `StopConsumer`): what it returns
 * stands for the dispatch, what it throws ends the loop. Both are called on `thisArg`.
 *
 * Only settles by rejecting with the first error, once no dispatch runs: a source can fail while
 * a handler runs, and the caller's cleanup must not run beside it. Events still waiting are
 * dropped; reads still pending are the caller's to abandon.
 */
export function awaitManyDispatch<E, T = undefined>(
  sources: ReadonlyArray<() => Promise<E>>,
  dispatch: (this: T, event: E) => unknown,
  recover: (this: T, event: E, error: unknown) => unknown = rethrow,
  thisArg?: T,
): Promise<never> {
  return new Promise((_, reject) => {
    const queue = new HandlerQueue<E>(dispatch, recover, thisArg, reject);
    for (const read of sources) new Source(read, queue).read();
  });
}

function rethrow(_event: unknown, error: unknown): never {
  throw error;
}

// Promise reactions on functions bound once per connection, where async read loops would hold a
// frame per source and a closure per event: docs/performance.md#the-consumers-event-queue
class Source<E> {
  event: E | undefined = undefined;
  readonly #arrived = this.#onEvent.bind(this);

  constructor(
    readonly next: () => Promise<E>,
    readonly queue: HandlerQueue<E>,
  ) {}

  read(): void {
    try {
      this.next().then(this.#arrived, this.queue.stop);
    } catch (error) {
      this.queue.stop(error);
    }
  }

  #onEvent(event: E): void {
    this.event = event;
    this.queue.arrived(this);
  }
}

/** The handlers run one at a time; the sources whose events wait for them, in arrival order. */
class HandlerQueue<E> {
  readonly stop = this.#onStop.bind(this);
  readonly #finished = this.#onFinished.bind(this);
  readonly #failed = this.#onFailed.bind(this);
  #running: Source<E> | null = null;
  #recovering = false;
  #waiting: Array<Source<E>> | null = null;
  #stopped: { error: unknown } | null = null;

  constructor(
    readonly dispatch: (event: E) => unknown,
    readonly recover: (event: E, error: unknown) => unknown,
    readonly thisArg: unknown,
    readonly reject: (error: unknown) => void,
  ) {}

  arrived(source: Source<E>): void {
    if (this.#stopped !== null) return;
    if (this.#running === null) this.#run(source);
    else (this.#waiting ??= []).push(source);
  }

  /** Calls the handler on the event of `source`, or its recovery from `error`, and waits for it. */
  #run(source: Source<E>, error?: unknown): void {
    this.#running = source;
    const handler = this.#recovering ? this.recover : this.dispatch;
    try {
      const result = handler.call(this.thisArg, source.event as E, error);
      Promise.resolve(result).then(this.#finished, this.#failed);
    } catch (failure) {
      this.#onFailed(failure);
    }
  }

  /** The running handler failed: the loop ends, unless this is a dispatch to recover from. */
  #onFailed(error: unknown): void {
    if (!this.#recovering && !(error instanceof StopConsumer)) {
      this.#recovering = true;
      return this.#run(this.#running as Source<E>, error);
    }
    this.#onStop(error);
    this.#onFinished();
  }

  /** The running dispatch is over: its source is read again, and the next waiting event runs. */
  #onFinished(): void {
    const source = this.#running as Source<E>;
    source.event = undefined;
    this.#running = null;
    this.#recovering = false;
    if (this.#stopped !== null) return this.reject(this.#stopped.error);
    source.read();
    const next = this.#waiting?.shift();
    if (next !== undefined) this.#run(next);
  }

  /** Ends the loop with the first error: at once, or once the running dispatch is over. */
  #onStop(error: unknown): void {
    if (this.#stopped !== null) return;
    this.#stopped = { error };
    this.#waiting = null;
    if (this.#running === null) this.reject(error);
  }
}
