import { ProtocolError } from "../errors.js";

/** What feeds a queue and can stop: a request stream, a WebSocket session. */
export interface FlowControl {
  pause(): void;
  resume(): void;
}

/**
 * The events `receive()` hands an application, in arrival order. It is bounded: when `highWater`
 * events wait unread, the source is paused (stop reading the socket) and resumed once the
 * application has read them all. A final event (a disconnect) is delivered after the queued ones
 * and then to every later `receive()`.
 *
 * An application that keeps up is always waiting when an event arrives, so the event goes
 * straight to it; the backlog array only exists once one builds up
 * (docs/performance.md#the-receive-queue).
 */
export class EventQueue<T> {
  readonly #highWater: number;
  readonly #source: FlowControl;
  #first: T | null;
  #rest: T[] | null = null;
  #size: number;
  #waiter: ((event: T) => void) | null = null;
  #final: T | null = null;
  #paused = false;

  constructor(highWater: number, source: FlowControl, first: T | null = null) {
    this.#highWater = highWater;
    this.#source = source;
    this.#first = first;
    this.#size = first === null ? 0 : 1;
  }

  push(event: T): void {
    if (this.#final !== null) return;
    const waiter = this.#waiter;
    if (waiter !== null) {
      this.#waiter = null;
      waiter(event);
      return;
    }
    if (this.#size === 0) this.#first = event;
    else (this.#rest ??= []).push(event);
    if (++this.#size >= this.#highWater && !this.#paused) {
      this.#paused = true;
      this.#source.pause();
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
    if (this.#size > 0) {
      const event = this.#first as T;
      this.#first = --this.#size > 0 ? ((this.#rest as T[]).shift() as T) : null;
      if (this.#paused && this.#size === 0) {
        this.#paused = false;
        this.#source.resume();
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
