/**
 * Type-test helper for `*.test-d.ts` files: `expectType<T>(value)` compiles only when `value` is
 * assignable to `T`. Pair it with `// @ts-expect-error` for what must not compile.
 *
 * @example
 * ```ts
 * expectType<Application<WebsocketScope>>(urlRouter([path("chat/", ChatConsumer.asApp())]));
 * ```
 */
export function expectType<T>(value: T): T {
  return value;
}
