import type { UrlRoute } from "../types/asgi.js";
import type { RoutableScope } from "./route.js";

type ConverterValue<C extends string> = C extends "int" ? number : string;

/**
 * The kwargs a `path()` route captures, as types: `"rooms/<str:room>/<int:id>/"` →
 * `{ room: string } & { id: number }` (`int` is a number, every other converter a string).
 *
 * @example
 * ```ts
 * type Kwargs = PathKwargs<"rooms/<str:room>/<int:id>/">; // { room: string; id: number }
 * ```
 */
export type PathKwargs<R extends string> = R extends `${string}<${infer Segment}>${infer Rest}`
  ? (Segment extends `${infer C}:${infer N}`
      ? { [K in N]: ConverterValue<C> }
      : { [K in Segment]: string }) &
      PathKwargs<Rest>
  : unknown;

/**
 * A scope whose URL route captured `K`: declare it on a consumer to read typed kwargs. Only a
 * `path()` route (or an outer one, for a nested router) that captures those kwargs with those
 * types can route to it.
 *
 * @example
 * ```ts
 * type RoomScope = RoutedScope<WebsocketScope, PathKwargs<"rooms/<str:room>/">>;
 * class RoomConsumer extends WebsocketConsumer<RoomScope> {
 *   override connect() {
 *     const room: string = this.scope.urlRoute.kwargs.room;
 *     return this.accept();
 *   }
 * }
 * urlRouter([path("rooms/<str:room>/", RoomConsumer.asApp())]);
 * ```
 */
export type RoutedScope<S extends RoutableScope, K> = S & {
  urlRoute: { args: unknown[]; kwargs: K };
};

/** `T` without index signatures: `UrlRoute`'s `Record<string, unknown>` names no kwarg. */
type NamedOnly<T> = {
  [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K];
};

/** The kwargs a scope type requires its route to have captured (`unknown` for none). */
type NeededKwargs<S> = S extends { urlRoute: { kwargs: infer K } }
  ? keyof NamedOnly<K> extends never
    ? unknown
    : NamedOnly<K>
  : unknown;

/** `S` without its urlRoute requirement, the optional `urlRoute` of a bare scope back. */
type Unrouted<S> = Omit<S, "urlRoute"> & { urlRoute?: UrlRoute };

/**
 * The scope a route's surroundings must provide when its application needs `S` and the route
 * itself captures `Provided`: the kwargs the route does not capture stay required, for an outer
 * router to capture. Distributes over unions of scope types.
 */
export type ProvidedBy<S, Provided> = S extends unknown
  ? unknown extends NeededKwargs<S>
    ? S
    : Exclude<keyof NeededKwargs<S>, keyof Provided> extends never
      ? Unrouted<S>
      : Unrouted<S> & {
          urlRoute: {
            args: unknown[];
            kwargs: {
              [K in Exclude<keyof NeededKwargs<S>, keyof Provided>]: NeededKwargs<S>[K];
            };
          };
        }
  : never;

/** Kwargs the route captures with another type than the application expects. */
type Mismatched<S, Provided> = {
  [K in keyof NeededKwargs<S> & keyof Provided]: Provided[K] extends NeededKwargs<S>[K] ? never : K;
}[keyof NeededKwargs<S> & keyof Provided];

/**
 * `unknown` when the kwargs the route captures have the types the application expects; else a
 * type the application lacks, so that `path("<int:id>/", app)` fails to type-check for an
 * application expecting `id: string`, naming the kwarg.
 */
export type KwargsMatch<S, Provided> = [Mismatched<S, Provided>] extends [never]
  ? unknown
  : {
      [
        K in Mismatched<S, Provided> &
          PropertyKey as `kwarg "${K & string}" is captured with another type`
      ]: never;
    };
