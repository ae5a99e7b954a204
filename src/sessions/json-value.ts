/**
 * A value a session can hold: anything that survives `JSON.stringify` and `JSON.parse`.
 *
 * @example
 * ```ts
 * const cart: JsonValue = { items: [{ sku: "a1", qty: 2 }], coupon: null };
 * ```
 */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
