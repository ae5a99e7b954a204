import { ImproperlyConfigured, UnknownScopeType } from "../errors.js";
import { assertChannelName } from "../layers/validation.js";
import type { Application, ChannelScope, Receive, Scope, Send } from "../types/asgi.js";

/**
 * Hands a `channel` scope (a background worker, see `switchboard worker`) to the application for
 * its `scope.channel`, like Channels' `ChannelNameRouter`. Usually the `channel` entry of
 * `protocolTypeRouter`.
 *
 * @example
 * ```ts
 * export const application = protocolTypeRouter({
 *   websocket: urlRouter([path("chat/<str:room>/", ChatConsumer.asApp())]),
 *   channel: channelNameRouter({ thumbnails: Thumbnailer.asApp() }),
 * });
 * // switchboard worker thumbnails --app ./app.ts
 * ```
 */
export function channelNameRouter(
  routes: Record<string, Application<ChannelScope>>,
): Application<ChannelScope> {
  const table = new Map(Object.entries(routes));
  for (const channel of table.keys()) assertChannelName(channel);
  return async function channelNameRouter(scope: Scope, receive: Receive, send: Send) {
    if (scope.type !== "channel") {
      throw new UnknownScopeType(
        `channelNameRouter only serves "channel" scopes, got "${scope.type}": put it under the "channel" entry of protocolTypeRouter.`,
      );
    }
    const app = table.get(scope.channel);
    if (app) return app(scope, receive, send);
    throw new ImproperlyConfigured(
      `No application configured for channel "${scope.channel}" (configured: ${[...table.keys()].join(", ") || "none"}): add it to channelNameRouter({...}) or run the worker for another channel.`,
    );
  };
}
