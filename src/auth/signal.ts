/**
 * A receiver of a {@link Signal}: called with the event, awaited before the next receiver.
 *
 * @example
 * ```ts
 * const audit: Receiver<{ user: User }> = ({ user }) => console.log("logged in", user.username);
 * ```
 */
export type Receiver<T> = (event: T) => void | Promise<void>;

/**
 * Django's `Signal`, typed: receivers `connect` to it and `send` calls each in the order they
 * connected, awaiting any promise. As with Django's `send`, a receiver that throws stops the
 * others and the error reaches whoever sent. Connecting the same receiver twice keeps one.
 *
 * @example
 * ```ts
 * const saved = new Signal<{ id: number }>();
 * const disconnect = saved.connect(({ id }) => console.log("saved", id));
 * await saved.send({ id: 1 }); // saved 1
 * disconnect();
 * ```
 */
export class Signal<T> {
  readonly #receivers = new Set<Receiver<T>>();

  /** Adds `receiver`; returns a function that disconnects it. */
  connect(receiver: Receiver<T>): () => void {
    this.#receivers.add(receiver);
    return () => this.disconnect(receiver);
  }

  /** Removes `receiver`; `false` when it was not connected. */
  disconnect(receiver: Receiver<T>): boolean {
    return this.#receivers.delete(receiver);
  }

  /** Calls every receiver with `event`, one after the other. */
  async send(event: T): Promise<void> {
    for (const receiver of [...this.#receivers]) await receiver(event);
  }
}
