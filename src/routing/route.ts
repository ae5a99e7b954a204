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

/** What a URL router chose for a scope: the application, and the scope to hand it. */
export interface Resolved<S extends RoutableScope = RoutableScope> {
  application: Application<S>;
  scope: S;
}

/** A URL router's lookup: the route for a scope, or `null` when none matches. */
export type RouteLookup<S extends RoutableScope = RoutableScope> = (scope: S) => Resolved<S> | null;

const routeLookup = Symbol("switchboard.routeLookup");

/**
 * Gives a URL router's application its lookup, so `path()` lets it route what follows the match
 * and an outer router finds the route through it without calling it. An application that answers
 * for everything under its prefix (`clientFilesApp`) has one too: a lookup that answers itself.
 */
export function markNestedRouter<A extends object, S extends RoutableScope>(
  application: A,
  lookup: RouteLookup<S>,
): A {
  Object.defineProperty(application, routeLookup, { value: lookup });
  return application;
}

/** The lookup of a URL router's application; `undefined` for any other application. */
export function nestedRouter(application: object): RouteLookup | undefined {
  return (application as { [routeLookup]?: RouteLookup })[routeLookup];
}
