type Listener<T> = (value: T) => void;

/** A typed listener list: `on` answers a function that removes the listener again. */
export class Emitter<Events> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends keyof Events>(type: K, value: Events[K]): void {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        (listener as Listener<Events[K]>)(value);
      } catch (error) {
        // A page's listener bug must not leave the socket half-updated: report it as the
        // browser reports an event handler's error, after the client's own work is done.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
