import { ProtocolError } from "../errors.js";

/**
 * The events `receive()` hands an application, in arrival order. It is bounded: when `highWater`
 * events wait unread, `pause` is called (stop reading the socket) and `resume` once the
 * application has read them all. A final event (a disconnect) is delivered after the queued ones
 * and then to every later `receive()`.
 */
export class EventQueue<T> {
  readonly #items: T[] = [];
  readonly #highWater: number;
  readonly #pause: () => void;
  readonly #resume: () => void;
  #waiter: ((event: T) => void) | null = null;
  #final: T | null = null;
  #paused = false;

  constructor(highWater: number, pause: () => void, resume: () => void) {
    this.#highWater = highWater;
    this.#pause = pause;
    this.#resume = resume;
  }

  /** Whether the final event has been set: nothing more will be queued. */
  get finished(): boolean {
    return this.#final !== null;
  }

  push(event: T): void {
    if (this.#final !== null) return;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter(event);
      return;
    }
    this.#items.push(event);
    if (!this.#paused && this.#items.length >= this.#highWater) {
      this.#paused = true;
      this.#pause();
    }
  }

  /** Ends the stream: `event` follows whatever is queued, then answers every later read. */
  finish(event: T): void {
    if (this.#final !== null) return;
    this.#final = event;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter(event);
    }
  }

  /** The next event; rejects with `ProtocolError` if a previous read is still waiting. */
  next(): Promise<T> {
    if (this.#items.length > 0) {
      const event = this.#items.shift() as T;
      if (this.#paused && this.#items.length === 0) {
        this.#paused = false;
        this.#resume();
      }
      return Promise.resolve(event);
    }
    if (this.#final !== null) return Promise.resolve(this.#final);
    if (this.#waiter !== null) {
      return Promise.reject(
        new ProtocolError(
          "receive() was called while a previous receive() was still waiting; await each call before the next.",
        ),
      );
    }
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }
}
