const MAX_SHARED = 1024;

/**
 * Strings that arrive again and again, such as the path of every chat WebSocket, kept once per
 * server instead of once per connection: an idle WebSocket holds its scope for hours. Emptied
 * when full, so values that never repeat cannot grow it, and the ones that do come back after.
 *
 * @example
 * ```ts
 * const strings = new SharedStrings();
 * const path = strings.get(scopePath); // equal to scopePath, one instance per server
 * ```
 */
export class SharedStrings {
  readonly #shared = new Map<string, string>();

  /** One instance of `value` for this server; equal to `value` either way. */
  get(value: string): string {
    const known = this.#shared.get(value);
    if (known !== undefined) return known;
    if (this.#shared.size >= MAX_SHARED) this.#shared.clear();
    this.#shared.set(value, value);
    return value;
  }
}
