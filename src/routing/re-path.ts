import type { Application } from "../types/asgi.js";
import type { RoutableScope, Route, RouteMatch, RouteOptions } from "./route.js";
import type { ProvidedBy } from "./route-kwargs.js";

type AnyKwargs = Record<PropertyKey, unknown>;

/**
 * A route given as a regular expression, like Django's `re_path()`. It is searched for in the
 * path without its leading `/` (anchor it with `^` and `$` to match the whole path). Named groups
 * go to `scope.urlRoute.kwargs`; without named groups the positional ones go to `args`, as in
 * Django (a pattern with named groups yields no args). An unmatched optional group is left out
 * of kwargs, and is `undefined` in args.
 *
 * @example
 * ```ts
 * urlRouter([rePath(/^front(end)\/$/, FrontConsumer.asApp())]);
 * // "/frontend/" → scope.urlRoute = { args: ["end"], kwargs: {} }
 * ```
 */
export function rePath<S extends RoutableScope>(
  pattern: RegExp | string,
  application: Application<S>,
  options: RouteOptions = {},
): Route<ProvidedBy<S, AnyKwargs>> {
  // Global and sticky flags make exec() stateful across calls; a route must not be.
  const regex =
    typeof pattern === "string"
      ? new RegExp(pattern)
      : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ""));
  return {
    pattern: {
      source: String(regex),
      match(path: string): RouteMatch | null {
        const found = regex.exec(path);
        if (found === null) return null;
        const end = found.index + found[0].length;
        if (found.groups === undefined) {
          return { end, args: found.slice(1), kwargs: {} };
        }
        const kwargs: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(found.groups)) {
          if (value !== undefined) kwargs[name] = value;
        }
        return { end, args: [], kwargs };
      },
    },
    // A regex's captures are not known to the type system: kwargs the application declares are
    // trusted to come from its named groups.
    application: application as unknown as Application<ProvidedBy<S, AnyKwargs>>,
    kwargs: options.kwargs ?? {},
  };
}
