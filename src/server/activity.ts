/**
 * Counts the applications running on a server, so that shutdown can wait for them to return.
 * Each run calls `start()` once and `end()` once (docs/performance.md#bound-methods-not-closures).
 */
export class Activity {
  #active = 0;
  #onIdle: (() => void) | null = null;

  get active(): number {
    return this.#active;
  }

  start(): void {
    this.#active++;
  }

  end(): void {
    if (--this.#active === 0 && this.#onIdle !== null) this.#onIdle();
  }

  /** Resolves once no application runs (at once if none does); `onIdle` runs each time it gets there. */
  idle(onIdle: () => void): Promise<void> {
    return new Promise((resolve) => {
      this.#onIdle = () => {
        onIdle();
        resolve();
      };
      if (this.#active === 0) this.#onIdle();
    });
  }
}
