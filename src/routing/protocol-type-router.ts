import { UnknownScopeType } from "../errors.js";
import type {
  Application,
  ChannelScope,
  HttpScope,
  Receive,
  Scope,
  Send,
  WebsocketScope,
} from "../types/asgi.js";

/** The application serving each scope type; a type left out is refused with `UnknownScopeType`. */
export interface ProtocolTypeRoutes {
  http?: Application<HttpScope>;
  websocket?: Application<WebsocketScope>;
  channel?: Application<ChannelScope>;
}

/**
 * Hands each connection to the application for its scope type (`http`, `websocket`, `channel`),
 * like Channels' `ProtocolTypeRouter`. Usually the outermost application.
 *
 * @example
 * ```ts
 * export const application = protocolTypeRouter({
 *   http: httpApp,
 *   websocket: authMiddlewareStack(
 *     urlRouter([path("chat/<str:room>/", ChatConsumer.asApp())]),
 *     { store, backends, secretKey },
 *   ),
 * });
 * ```
 */
export function protocolTypeRouter(routes: ProtocolTypeRoutes): Application {
  const table: ProtocolTypeRoutes = { ...routes };
  return async function protocolTypeRouter(scope: Scope, receive: Receive, send: Send) {
    const type: string = scope.type;
    switch (scope.type) {
      case "http":
        if (table.http) return table.http(scope, receive, send);
        break;
      case "websocket":
        if (table.websocket) return table.websocket(scope, receive, send);
        break;
      case "channel":
        if (table.channel) return table.channel(scope, receive, send);
        break;
    }
    const configured = Object.keys(table).filter((key) => table[key as keyof ProtocolTypeRoutes]);
    throw new UnknownScopeType(
      `No application configured for scope type "${type}" (configured: ${configured.join(", ") || "none"}); add a "${type}" entry to protocolTypeRouter({...}).`,
    );
  };
}
