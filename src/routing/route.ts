import type { Application, HttpScope, WebsocketScope } from "../types/asgi.js";

/** Scopes a URL router can route: the ones with a path. */
export type RoutableScope = HttpScope | WebsocketScope;

/** What a pattern captured, and where in the path the match ended. */
export interface RouteMatch {
  /** Index just past the matched text: the rest of the path is routed by a nested router. */
  end: number;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** A compiled route pattern, matched against the path without its leading `/`. */
export interface RoutePattern {
  /** The pattern as written, for messages. */
  readonly source: string;
  match(path: string): RouteMatch | null;
}

/** One entry of a {@link urlRouter}: build it with `path()` or `rePath()`. */
export interface Route<S extends RoutableScope = RoutableScope> {
  readonly pattern: RoutePattern;
  readonly application: Application<S>;
  /** Extra kwargs added to every match of this route; they win over captured ones. */
  readonly kwargs: Readonly<Record<string, unknown>>;
}

/** Options of `path()` and `rePath()`. */
export interface RouteOptions {
  /** Extra kwargs put on `scope.urlRoute.kwargs` whenever this route matches. */
  kwargs?: Record<string, unknown>;
}

const routesByPath = Symbol("switchboard.routesByPath");

/** Marks an application as a URL router, so `path()` lets it route what follows the match. */
export function markRoutesByPath<A extends object>(application: A): A {
  Object.defineProperty(application, routesByPath, { value: true });
  return application;
}

/** Whether `application` is a URL router (or was marked as one). */
export function routesByPathMarked(application: object): boolean {
  return (application as { [routesByPath]?: boolean })[routesByPath] === true;
}
