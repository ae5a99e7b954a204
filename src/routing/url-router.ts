import { ImproperlyConfigured, RouteNotFound } from "../errors.js";
import type { Application, Receive, Send } from "../types/asgi.js";
import { markNestedRouter, nestedRouter } from "./route.js";
import type { Resolved, RoutableScope, Route } from "./route.js";

/** Options of {@link urlRouter}. */
export interface UrlRouterOptions {
  /** Where a path no route matches is reported; `console.warn` by default. */
  logger?: (line: string) => void;
}

// Set on the scope a router hands on, so a nested router knows to let its parent try the next
// route instead of answering 404 itself. A symbol key survives the `{ ...scope }` copies
// middleware makes between routers.
const insideRouter = Symbol("switchboard.insideUrlRouter");
type MarkedScope = { [insideRouter]?: true };

/**
 * Answers a request no route matched: HTTP 404, or a refused WebSocket handshake (the server
 * answers 403).
 */
async function refuse(scope: RoutableScope, receive: Receive, send: Send): Promise<void> {
  if (scope.type === "http") {
    await send({
      type: "http.response.start",
      status: 404,
      headers: [["content-type", "text/plain; charset=utf-8"]],
    });
    await send({ type: "http.response.body", body: Buffer.from("Not Found") });
    return;
  }
  // The first event is always websocket.connect; closing in answer refuses the handshake.
  await receive();
  await send({ type: "websocket.close", code: 1008, reason: "No route found" });
}

/** How many `/` start `text`: routes match the path without them. */
function leadingSlashes(text: string): number {
  let count = 0;
  while (text.charCodeAt(count) === 0x2f) count++;
  return count;
}

/**
 * Routes a connection by its path to the first matching route, like Channels' `URLRouter`.
 * Routes match the path after `scope.rootPath`, without the leading `/`. What a route captures
 * is put on `scope.urlRoute`, added to what outer routers captured. A nested router (a route
 * whose application is another `urlRouter`) routes the rest of the path; the consumed part is
 * appended to `scope.rootPath`, and when the nested router matches nothing the outer one tries
 * its next route. When no route matches, HTTP gets a 404 and a WebSocket handshake is refused.
 *
 * The router keeps its routes' scope type: routes whose applications need
 * `WebsocketScope & { user: User }` make a router that only type-checks under middleware that
 * provides `user`.
 *
 * @example
 * ```ts
 * const websocket = urlRouter([
 *   path("chat/<str:room>/", ChatConsumer.asApp()),
 *   path("api/", urlRouter([rePath(/^stream\/(?<id>\d+)\/$/, StreamConsumer.asApp())])),
 * ]);
 * ```
 */
export function urlRouter<S extends RoutableScope>(
  routes: ReadonlyArray<Route<S>>,
  options: UrlRouterOptions = {},
): Application<S> {
  const table = routes.map((route) => ({ route, nested: nestedRouter(route.application) }));
  const logger = options.logger ?? console.warn;

  /**
   * The application for the first route that matches, and the scope to give it; `null` when no
   * route matches (a nested router that matches nothing lets the next route try).
   */
  function resolve(scope: S): Resolved<S> | null {
    const { path, rootPath } = scope;
    if (!path.startsWith(rootPath)) return null;
    const rest = path.slice(rootPath.length);
    const skipped = leadingSlashes(rest);
    const relative = skipped === 0 ? rest : rest.slice(skipped);
    for (const { route, nested } of table) {
      const match = route.pattern.match(relative);
      if (match === null) continue;
      const consumed = rest.slice(0, skipped + match.end);
      const outer = scope.urlRoute;
      const inner = Object.assign({}, scope, {
        // Like an ASGI root_path, without a trailing "/": the rest of the path keeps its "/".
        rootPath: rootPath + (consumed.endsWith("/") ? consumed.slice(0, -1) : consumed),
        urlRoute: {
          args: outer ? [...outer.args, ...match.args] : match.args,
          kwargs: { ...outer?.kwargs, ...match.kwargs, ...route.kwargs },
        },
        [insideRouter]: true,
      });
      if (nested === undefined) return { application: route.application, scope: inner };
      // The nested router's routes were checked against the scope this route hands it.
      const found = nested(inner) as Resolved<S> | null;
      if (found !== null) return found;
    }
    return null;
  }

  return markNestedRouter(async function urlRouter(scope: S, receive: Receive, send: Send) {
    if (scope.type !== "http" && scope.type !== "websocket") {
      throw new ImproperlyConfigured(
        `urlRouter routes HTTP and WebSocket scopes by path; a "${String((scope as { type: unknown }).type)}" scope has no path. Route channel scopes with channelNameRouter.`,
      );
    }
    const found = resolve(scope);
    if (found !== null) return found.application(found.scope, receive, send);
    if ((scope as MarkedScope)[insideRouter] === true) {
      throw new RouteNotFound(`No route found for path "${scope.path}".`);
    }
    logger(`No route found for path "${scope.path}" (${scope.type}).`);
    return refuse(scope, receive, send);
  }, resolve);
}
