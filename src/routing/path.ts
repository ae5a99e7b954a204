import { ImproperlyConfigured } from "../errors.js";
import type { Application } from "../types/asgi.js";
import { pathConverters } from "./path-converters.js";
import type { PathConverter } from "./path-converters.js";
import { nestedRouter } from "./route.js";
import type { RoutableScope, Route, RouteMatch, RouteOptions, RoutePattern } from "./route.js";
import type { KwargsMatch, PathKwargs, ProvidedBy } from "./route-kwargs.js";

/** Options of {@link path}. */
export interface PathOptions extends RouteOptions {
  /**
   * Match the route as a prefix and let `application` route the rest of the path. Defaults to
   * `true` when `application` is a `urlRouter` or `clientFilesApp()`; set it when a middleware
   * wraps the nested router.
   */
  nested?: boolean;
}

const SEGMENT = /<(?:([^>:]+):)?([^>]+)>/g;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Compiles a Django-style route (`"rooms/<str:room>/<int:id>/"`) into a pattern, once. */
function compileRoute(route: string, endpoint: boolean): RoutePattern {
  if (/[<>]/.test(route.replace(SEGMENT, ""))) {
    throw new ImproperlyConfigured(
      `Route "${route}" has an unmatched "<" or ">"; parameters are written "<converter:name>".`,
    );
  }
  let source = "^";
  let last = 0;
  const parameters: Array<{ name: string; converter: PathConverter }> = [];
  for (const segment of route.matchAll(SEGMENT)) {
    const [text, converterName = "str", name] = segment;
    const converter = Object.hasOwn(pathConverters, converterName)
      ? pathConverters[converterName]
      : undefined;
    if (converter === undefined) {
      throw new ImproperlyConfigured(
        `Route "${route}" uses the unknown path converter "${converterName}"; use one of ${Object.keys(pathConverters).join(", ")}.`,
      );
    }
    if (!IDENTIFIER.test(name) || parameters.some((parameter) => parameter.name === name)) {
      throw new ImproperlyConfigured(
        `Route "${route}": "${name}" must be a unique identifier (letters, digits, "_"), as in "<int:id>".`,
      );
    }
    const literal = route.slice(last, segment.index);
    source += `${escapeRegex(literal)}(${converter.regex})`;
    parameters.push({ name, converter });
    last = segment.index + text.length;
  }
  if (parameters.length === 0) return literalPattern(route, endpoint);
  source += escapeRegex(route.slice(last)) + (endpoint ? "$" : "");
  const regex = new RegExp(source);
  return {
    source: route,
    match(path: string): RouteMatch | null {
      const found = regex.exec(path);
      if (found === null) return null;
      const kwargs: Record<string, unknown> = {};
      for (let i = 0; i < parameters.length; i++) {
        const value = parameters[i].converter.toValue(found[i + 1]);
        if (value === undefined) return null;
        kwargs[parameters[i].name] = value;
      }
      return { end: found[0].length, args: [], kwargs };
    },
  };
}

/** A route without parameters (`"chat/"`, most of them): a string comparison, no regex. */
function literalPattern(route: string, endpoint: boolean): RoutePattern {
  return {
    source: route,
    match(path: string): RouteMatch | null {
      if (endpoint ? path !== route : !path.startsWith(route)) return null;
      return { end: route.length, args: [], kwargs: {} };
    },
  };
}

/**
 * A route written like Django's `path()`: literal text and `<converter:name>` parameters
 * (`str` — the default —, `int`, `slug`, `uuid`, `path`). Captures land on
 * `scope.urlRoute.kwargs`, `int` ones as numbers. Matched against the path without its leading
 * `/`, in full unless the application is a nested router. An unknown converter throws
 * `ImproperlyConfigured` here, not on the first request.
 *
 * @example
 * ```ts
 * urlRouter([path("rooms/<str:room>/<int:id>/", RoomConsumer.asApp())]);
 * // "/rooms/lobby/7/" → scope.urlRoute = { args: [], kwargs: { room: "lobby", id: 7 } }
 * ```
 */
export function path<R extends string, S extends RoutableScope>(
  route: R,
  application: Application<S> & KwargsMatch<S, PathKwargs<R>>,
  options: PathOptions = {},
): Route<ProvidedBy<S, PathKwargs<R>>> {
  const nested = options.nested ?? nestedRouter(application) !== undefined;
  return {
    pattern: compileRoute(route, !nested),
    // The route supplies what ProvidedBy leaves out of the scope type: the kwargs it captures.
    application: application as unknown as Application<ProvidedBy<S, PathKwargs<R>>>,
    kwargs: options.kwargs ?? {},
  };
}
