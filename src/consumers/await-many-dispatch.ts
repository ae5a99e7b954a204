import { StopConsumer } from "../errors.js";

/**
 * Channels' `await_many_dispatch`: one pending read per source, and their events dispatched one at
 * a time in arrival order; a source is read again once its event was dispatched. `recover` gets
 * the event and what its dispatch threw or rejected with (never a `StopConsumer`): what it returns
 * stands for the dispatch, what it throws ends the loop. Both are called on `thisArg`.
 *
 * Each read is given the loop's in-place receiver: while its read is pending, a source may offer
 * it an event (`takeInPlace`), which is dispatched at once, in the offering call, when no dispatch
 * runs or waits and `inPlace` says it may be (the read goes on pending, and the offer returns
 * `true`); else the offer returns `false` and the source hands the event to its read as usual.
 * Either way no dispatch runs beside another, and none overtakes an event already waiting.
 *
 * Only settles by rejecting with the first error, once no dispatch runs: a source can fail while
 * a handler runs, and the caller's cleanup must not run beside it. Events still waiting are
 * dropped; reads still pending are the caller's to abandon.
 */
export function awaitManyDispatch<E, T = undefined>(
  sources: ReadonlyArray<(inPlace: InPlaceTaker<E>) => Promise<E>>,
  dispatch: (this: T, event: E) => unknown,
  recover: (this: T, event: E, error: unknown) => unknown = rethrow,
  thisArg?: T,
  inPlace: (this: T, event: E) => boolean = never,
): Promise<never> {
  return new Promise((_, reject) => {
    const queue = new HandlerQueue<E>(dispatch, recover, inPlace, thisArg, reject);
    for (const read of sources) new Source(read, queue).read();
  });
}

function rethrow(_event: unknown, error: unknown): never {
  throw error;
}

function never(): boolean {
  return false;
}

/** What a source may offer an event to while its read is pending. */
export interface InPlaceTaker<E> {
  takeInPlace(event: E): boolean;
}

/** What a dispatch runs for: a source's event, or one offered in place. */
interface Running<E> {
  event: E | undefined;
  /** Called once the event's dispatch is over. */
  read(): void;
}

/** An event taken in place: its source's read is still pending, so nothing is read again. */
class InPlace<E> implements Running<E> {
  event: E | undefined = undefined;
  read(): void {}
}

// Promise reactions on functions bound once per connection, where async read loops would hold a
// frame per source and a closure per event: docs/performance.md#the-consumers-event-queue
class Source<E> implements Running<E> {
  event: E | undefined = undefined;
  readonly #arrived = this.#onEvent.bind(this);

  constructor(
    readonly next: (inPlace: InPlaceTaker<E>) => Promise<E>,
    readonly queue: HandlerQueue<E>,
  ) {}

  read(): void {
    try {
      this.next(this.queue).then(this.#arrived, this.queue.stop);
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
class HandlerQueue<E> implements InPlaceTaker<E> {
  readonly stop = this.#onStop.bind(this);
  readonly #finished = this.#onFinished.bind(this);
  readonly #failed = this.#onFailed.bind(this);
  #running: Running<E> | null = null;
  #recovering = false;
  #waiting: Array<Source<E>> | null = null;
  #stopped: { error: unknown } | null = null;
  #inPlace: InPlace<E> | null = null;

  constructor(
    readonly dispatch: (event: E) => unknown,
    readonly recover: (event: E, error: unknown) => unknown,
    readonly inPlace: (event: E) => boolean,
    readonly thisArg: unknown,
    readonly reject: (error: unknown) => void,
  ) {}

  arrived(source: Source<E>): void {
    if (this.#stopped !== null) return;
    if (this.#running === null) this.#run(source);
    else (this.#waiting ??= []).push(source);
  }

  /**
   * Dispatches `event` now if the queue is idle (events wait only while one runs) and `inPlace`
   * allows it (docs/performance.md#frame-once-send-many). A method, not a bound function: an
   * idle connection holds nothing more for it. Never throws: it runs inside the offering source
   * (a layer's loop over a group), so a failing `inPlace` ends this loop, as a failing source does.
   */
  takeInPlace(event: E): boolean {
    if (this.#stopped !== null || this.#running !== null || this.#waiting?.length) return false;
    try {
      if (!this.inPlace.call(this.thisArg, event)) return false;
    } catch (error) {
      this.#onStop(error);
      return true;
    }
    const running = (this.#inPlace ??= new InPlace());
    running.event = event;
    this.#run(running);
    return true;
  }

  /** Calls the handler on the event of `source`, or its recovery from `error`, and waits for it. */
  #run(source: Running<E>, error?: unknown): void {
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
      return this.#run(this.#running as Running<E>, error);
    }
    this.#onStop(error);
    this.#onFinished();
  }

  /** The running dispatch is over: its source is read again, and the next waiting event runs. */
  #onFinished(): void {
    const source = this.#running as Running<E>;
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
